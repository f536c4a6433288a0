"""Load, before a web process takes requests, what its first requests would load.

A gunicorn worker imports lazily: without this, the first requests after every start or
restart import the URLconf and every view (~0.25 s), then the Redis client and Celery's
publishing code (~0.3 s more in production), holding Python's import lock, so every
request arriving alongside them waits too. Nothing here opens a connection, so a store
that is down at start-up costs nothing until a request needs it.

The embedded job broker (SQLAlchemy, ~30 MB per process) stays lazy: a small site pays for
it on its first upload rather than in every web process (docs/decisions/0008, 0009).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import get_resolver


def warm() -> None:
    """Import and build, unconnected, what serving a request needs."""
    get_resolver().url_patterns  # noqa: B018 - every URLconf and the views it names
    from masthead import ocr

    ocr.count_pages  # noqa: B018 - the upload checks (Pillow only, no engine)
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        from django.core.cache import cache

        cache._cache  # type: ignore[attr-defined]  # noqa: B018 - the Redis client
    if settings.MASTHEAD_BROKER_IS_REDIS:
        from masthead.celery import app

        # The apps' task modules (what a submission publishes), found by the app's own
        # autodiscovery: core names no app above it.
        app.loader.import_default_modules()
        app.tasks  # noqa: B018 - binds the tasks
        app.amqp.producer_pool  # noqa: B018 - publishing and the broker's transport
