"""One audience: link each existing subscriber to the member with the same verified address.

Only the link is written; every subscriber keeps its status (pending, active, unsubscribed,
bounced) and dates. Unverified member addresses are never linked.
"""

from django.db import migrations


def link(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified = {
        email.lower(): user_id
        for email, user_id in EmailAddress.objects.filter(verified=True).values_list(
            "email", "user_id"
        )
    }
    for subscriber in Subscriber.objects.filter(user__isnull=True).only("pk", "email"):
        user_id = verified.get(subscriber.email.lower())
        if user_id is not None:
            Subscriber.objects.filter(pk=subscriber.pk).update(user_id=user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("account", "0009_emailaddress_unique_primary_email"),
        ("newsletter", "0003_audience"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
