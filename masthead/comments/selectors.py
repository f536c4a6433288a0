"""Reading comments: a post's threads, and who is named next to each comment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from masthead.blog.models import Post
from masthead.comments.models import Comment

MAX_THREADS = 500  # the list shows the oldest 500 threads; a bounded page cost


def display_name(user: Any) -> str:
    """The name a member chose (profile), a writer's byline for staff, else "A reader"."""
    byline = getattr(getattr(user, "author_profile", None), "display_name", "")
    name = getattr(getattr(user, "profile", None), "display_name", "")
    return str(name or byline or "A reader")


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(*, post: Post) -> list[Thread]:
    """Top-level comments oldest first, each with its replies; removed comments that have
    visible replies stay as a marker so the replies keep their context."""
    rows = list(
        Comment.objects.filter(post=post)
        .select_related("author__profile", "author__author_profile")
        .annotate(report_count=Count("reports"))
    )
    by_id: dict[int, Thread] = {}
    order: list[Thread] = []
    for row in rows:
        if row.parent_id is None:
            thread = Thread(row)
            by_id[row.pk] = thread
            order.append(thread)
    for row in rows:
        if row.parent_id is not None and row.parent_id in by_id:
            by_id[row.parent_id].replies.append(row)
    kept = [
        t
        for t in order
        if t.comment.status != Comment.Status.DELETED
        or any(r.status != Comment.Status.DELETED for r in t.replies)
    ]
    return kept[:MAX_THREADS]


MODERATION_LIMIT = 200  # the queue shows this many, most reported first


def moderation_queue() -> list[Comment]:
    """Comments editors should look at: reported and still visible, or hidden; most
    reported first, then newest. Each carries ``report_count`` and ``reasons``."""
    rows: list[Comment] = list(
        Comment.objects.exclude(status=Comment.Status.DELETED)
        .annotate(report_count=Count("reports"))
        .filter(Q(report_count__gt=0) | Q(status=Comment.Status.HIDDEN))
        .select_related("post", "author__profile", "author__author_profile")
        .prefetch_related("reports")
        .order_by("-report_count", "-created_at")[:MODERATION_LIMIT]
    )
    for row in rows:
        row.name = display_name(row.author)
        row.reasons = [r.reason for r in row.reports.all() if r.reason]  # type: ignore[attr-defined]
    return rows


def visible_count(*, post: Post) -> int:
    return Comment.objects.filter(post=post, status=Comment.Status.VISIBLE).count()
