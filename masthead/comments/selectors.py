"""Reading comments: a post's threads, and who is named next to each comment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

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


def visible_count(*, post: Post) -> int:
    return Comment.objects.filter(post=post, status=Comment.Status.VISIBLE).count()
