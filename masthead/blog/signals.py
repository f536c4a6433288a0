"""Signals the blog sends about its posts, for apps above it (webhooks live in exchange).

The blog must not import the apps that react, so its write paths send ``post_changed``
inside their transaction: a receiver that writes rows writes them in the same commit,
and an edit that rolls back leaves nothing behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import Signal
from django.utils import timezone

# Sent with ``post`` (saved), ``event`` (one of EVENTS) and ``previous`` (the fields that
# changed, with their old values).
post_changed = Signal()

EVENTS = ("post.published", "post.published.edited", "post.unpublished")
WATCHED = ("title", "slug", "excerpt", "body", "status", "published_at", "visibility", "featured")


def post_snapshot(post: Any) -> dict[str, Any]:
    """The fields a change is described by, read before the edit."""
    return {name: getattr(post, name) for name in WATCHED}


def _live(status: Any, published_at: datetime | None, now: datetime) -> bool:
    return status in ("published", "scheduled") and published_at is not None and published_at <= now


def post_changed_send(*, post: Any, before: dict[str, Any] | None) -> str | None:
    """Name the change (published, edited while live, unpublished) and send it; None if the
    post was not live before or after (a draft's edits are nobody's business outside)."""
    now = timezone.now()
    before = before or {}
    was = _live(before.get("status"), before.get("published_at"), now)
    is_live = _live(post.status, post.published_at, now)
    if is_live and not was:
        event = "post.published"
    elif was and not is_live:
        event = "post.unpublished"
    elif is_live:
        event = "post.published.edited"
    else:
        return None
    previous = {k: v for k, v in before.items() if getattr(post, k) != v}
    post_changed.send(sender=type(post), post=post, event=event, previous=previous)
    return event
