"""Site-wide periodic tasks (scheduled in ``settings.CELERY_BEAT_SCHEDULE``)."""

from __future__ import annotations

from celery import shared_task

from masthead.core import sessions


@shared_task
def sessions_delete_expired() -> int:
    """Expired sessions are dead rows: without this the table only grows."""
    return sessions.sessions_delete_expired()
