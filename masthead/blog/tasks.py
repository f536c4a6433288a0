"""The blog's tasks: scheduled posts appear on cached pages when due; related posts ranked;
post pages' pieces built ahead of readers."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import transaction

from masthead.blog import pieces, services

logger = logging.getLogger(__name__)


def delay_after_commit(task: Any, *args: Any, undone: str) -> None:
    """Queue ``task`` once the current transaction commits (it then sees what the change
    wrote). A down broker must not fail the change that asked: what the task would have
    done is logged as ``undone`` (pages stay right; the work waits for the next change).
    """

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - any broker or transport failure
            logger.warning("%s (broker down)", undone)

    transaction.on_commit(send)


@shared_task
def posts_went_live() -> bool:
    """Bump the page cache when a scheduled post's time came in the last few minutes."""
    return services.posts_went_live()


@shared_task
def posts_related_refresh(post_ids: list[int], tag_ids: list[int]) -> int:
    """Rank related posts again after a change of tags or publication (ADR 0107)."""
    return services.posts_related_refresh(post_ids=post_ids, tag_ids=tag_ids)


@shared_task
def post_pieces_build(post_ids: list[int]) -> int:
    """Build the kept pieces of these posts' pages after a change (ADR 0025)."""
    return pieces.build(post_ids)


@shared_task
def post_pieces_build_all(site_version: int) -> int:
    """Build every live post's pieces after a site-wide change, unless another follows."""
    return pieces.build_all(site_version)
