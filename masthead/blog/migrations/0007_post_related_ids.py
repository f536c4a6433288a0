"""Post.related_ids: the related posts ranked when tags or publication change (ADR 0107);
an index for the home page's featured posts."""

import importlib

from django.db import migrations, models
from django.utils import timezone

from masthead.blog import related

# Adding a column rebuilds the table on SQLite and drops its triggers; the visitors' search
# trigger (0004) is created again right after, as in 0005 and 0006.
_PREVIOUS = importlib.import_module(
    "masthead.blog.migrations.0005_post_version_revisions_preview_links_body_images"
)


def rank_all(apps, schema_editor):
    """Rank every live post's related posts once (later changes rank them again)."""
    post_model = apps.get_model("blog", "Post")
    link_model = apps.get_model("blog", "PostTag")
    live = post_model.objects.filter(
        status__in=["published", "scheduled"], published_at__lte=timezone.now()
    )
    links = list(
        link_model.objects.filter(post__in=live).values_list(
            "post_id", "tag_id", "post__published_at"
        )
    )
    targets: dict[int, set[int]] = {}
    for post_id, tag_id, _ in links:
        targets.setdefault(post_id, set()).add(tag_id)
    ranked = related.rank(links, targets)
    rows = [post_model(pk=pk, related_ids=ids) for pk, ids in ranked.items() if ids]
    post_model.objects.bulk_update(rows, ["related_ids"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0006_post_comment_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="related_ids",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(_PREVIOUS.restore_visibility_trigger, migrations.RunPython.noop),
        migrations.RunPython(rank_all, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(fields=["featured", "published_at"], name="blog_post_featured_idx"),
        ),
    ]
