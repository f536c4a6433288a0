from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"

    def ready(self) -> None:
        # Load the Celery app so that @shared_task functions bind to it in every process.
        import masthead.celery  # noqa: F401
