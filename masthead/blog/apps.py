from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "masthead.blog"
    label = "blog"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete

        from masthead.blog import (
            checks,  # noqa: F401  (registers the settings check)
            pieces,
        )
        from masthead.core import pagecache

        pagecache.site_changed.connect(pieces.site_changed, dispatch_uid="blog_post_pieces")
        pre_delete.connect(
            pieces.author_leaving, sender=get_user_model(), dispatch_uid="blog_author_leaving"
        )
