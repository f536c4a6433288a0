"""The blog's periodic task: scheduled posts appear on every cached page when due."""

from __future__ import annotations

from celery import shared_task

from masthead.blog import services


@shared_task
def posts_went_live() -> bool:
    """Bump the page cache when a scheduled post's time came in the last few minutes."""
    return services.posts_went_live()
