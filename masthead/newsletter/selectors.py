"""Newsletter reads: per-issue figures for editors and the subscriber export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from masthead.newsletter.models import Delivery, Issue, Subscriber


def issue_figures(*, issue: Issue) -> dict[str, int]:
    counts = dict(
        Delivery.objects.filter(issue=issue)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    figures = {status: counts.get(status, 0) for status in Delivery.Status.values}
    figures["recipients"] = issue.recipients
    figures["unsubscribes"] = Subscriber.objects.filter(unsubscribed_from=issue).count()
    return figures


def subscriber_rows() -> Iterator[list[Any]]:
    fields = ["email", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    yield [*fields, "hard_bounces"]
    for row in Subscriber.objects.order_by("pk").values_list(*fields, "hard_bounces").iterator():
        yield [value.isoformat() if hasattr(value, "isoformat") else value for value in row]


def subscriber_for_user(*, user: Any) -> Subscriber | None:
    email = (getattr(user, "email", "") or "").lower()
    by_user = Subscriber.objects.filter(user=user).first()
    return by_user or (Subscriber.objects.filter(email=email).first() if email else None)
