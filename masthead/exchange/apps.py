from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "masthead.exchange"
    label = "exchange"
    verbose_name = "Import, export and the Content API"

    def ready(self) -> None:
        """Webhooks listen to the lower apps' signals; those apps never import exchange."""
        from allauth.account.signals import user_signed_up
        from django.db.models.signals import pre_delete

        from masthead.blog.models import Post
        from masthead.blog.signals import post_changed
        from masthead.exchange import webhook_events as events
        from masthead.newsletter.signals import subscriber_confirmed

        post_changed.connect(events.on_post_changed, dispatch_uid="exchange-post-changed")
        pre_delete.connect(events.on_post_deleting, sender=Post, dispatch_uid="exchange-post-del")
        user_signed_up.connect(events.on_signed_up, dispatch_uid="exchange-member-added")
        subscriber_confirmed.connect(
            events.on_subscriber_confirmed, dispatch_uid="exchange-subscriber-confirmed"
        )
