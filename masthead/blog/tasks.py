"""The blog's tasks: scheduled posts appear on cached pages when due; related posts ranked."""

from __future__ import annotations

from celery import shared_task

from masthead.blog import services


@shared_task
def posts_went_live() -> bool:
    """Bump the page cache when a scheduled post's time came in the last few minutes."""
    return services.posts_went_live()


@shared_task
def posts_related_refresh(post_ids: list[int], tag_ids: list[int]) -> int:
    """Rank related posts again after a change of tags or publication (ADR 0107)."""
    return services.posts_related_refresh(post_ids=post_ids, tag_ids=tag_ids)
