from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"

    def ready(self) -> None:
        # Load the Celery app so that @shared_task functions bind to it in every process.
        import masthead.celery  # noqa: F401
        from masthead.core.sites import site_sync

        # After the sites app's own post_migrate, which creates example.com.
        post_migrate.connect(site_sync, dispatch_uid="masthead.core.site_sync")
