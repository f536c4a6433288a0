from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "masthead.blog"
    label = "blog"

    def ready(self) -> None:
        from masthead.blog import (
            checks,  # noqa: F401  (registers the settings check)
            pieces,
        )
        from masthead.core import pagecache

        pagecache.site_changed.connect(pieces.site_changed, dispatch_uid="blog_post_pieces")
