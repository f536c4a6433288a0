from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "masthead.blog"
    label = "blog"

    def ready(self) -> None:
        from masthead.blog import checks  # noqa: F401  (registers the settings check)
