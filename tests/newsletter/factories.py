"""Newsletter rows for tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from masthead.newsletter.models import Issue, Subscriber

ITEM = {
    "title": "A post worth reading",
    "url": "http://127.0.0.1:8000/blog/a-post/",
    "category": "Cybersecurity",
    "excerpt": "What changed this week.",
    "reading_time": 3,
    "hero_url": "http://127.0.0.1:8000/media/blog/hero/a.jpg",
    "hero_alt": "A padlock on a keyboard",
    "members_only": False,
}


def make_issue(**fields: Any) -> Issue:
    values: dict[str, Any] = {"subject": "Masthead weekly", "items": [ITEM], "tool_slug": "ocr"}
    return Issue.objects.create(**(values | fields))


def subscribers(count: int, prefix: str = "r") -> list[Subscriber]:
    now = timezone.now()
    rows = [
        Subscriber(email=f"{prefix}{i:05d}@example.com", status="active", confirmed_at=now)
        for i in range(count)
    ]
    return Subscriber.objects.bulk_create(rows, batch_size=500)
