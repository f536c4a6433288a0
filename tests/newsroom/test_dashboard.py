"""The dashboard: drafts, scheduled and recent posts, newsletter sends and OCR usage, in a
fixed number of queries whatever the amount of content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.blog.models import Post
from masthead.newsletter.models import Delivery, Issue, Subscriber
from masthead.tools.models import OcrJob, OcrJobStatus
from tests.blog.factories import build_post
from tests.shared_reads import own_queries

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]
MAX_QUERIES = 16


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _content(n: int, author: Any = None) -> None:
    now = timezone.now()
    for i in range(n):
        for status, when in (
            (Post.Status.PUBLISHED, now - timedelta(hours=i + 1)),
            (Post.Status.DRAFT, None),
            (Post.Status.SCHEDULED, now + timedelta(days=i + 1)),
        ):
            post = build_post(title=f"{status} post {n}-{i}", slug=f"{status}-{n}-{i}",
                              status=status, published_at=when)  # fmt: skip
            post.save()
            if author is not None:
                post.authors.add(author)
        issue = Issue.objects.create(
            subject=f"Weekly {n}-{i}", status=Issue.Status.SENT, sent_at=now
        )
        subscriber = Subscriber.objects.create(email=f"s{n}-{i}@example.com", status="active")
        Delivery.objects.create(
            issue=issue, subscriber=subscriber, status="sent", next_attempt_at=now
        )
        OcrJob.objects.create(status=OcrJobStatus.SUCCEEDED, pages_total=3)
        OcrJob.objects.create(status=OcrJobStatus.FAILED, pages_total=1)


def _queries(client: Client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/newsroom/")
    assert response.status_code == 200
    return len(own_queries(captured)), response.content.decode()


def test_dashboard_shows_the_day_in_a_fixed_number_of_queries(signed_in: Signed) -> None:
    client = signed_in("editor")
    client.get("/newsroom/")  # first visit: the publication row and caches are made
    _content(1)
    few, body = _queries(client)
    assert "draft post 1-0" in body and "scheduled post 1-0" in body
    assert "published post 1-0" in body and "Weekly 1-0" in body
    _content(12)
    many, body = _queries(client)
    assert many == few <= MAX_QUERIES, (few, many)
    assert "published post 12-0" in body and "published post 12-11" not in body  # 5 a list
    assert "<dt>Jobs, last 24 h</dt><dd>26</dd>" in body
    assert "<dt>Pages, last 7 days</dt><dd>52</dd>" in body
    assert "<dt>Failed, last 7 days</dt><dd>13</dd>" in body


def test_authors_see_their_own_drafts_only(signed_in: Signed) -> None:
    client = signed_in("author")
    _content(1)
    _content(2, author=client.user)  # type: ignore[attr-defined]
    body = client.get("/newsroom/").content.decode()
    assert "Your drafts" in body
    assert "draft post 2-0" in body and "draft post 1-0" not in body


def test_times_are_shown_in_the_publication_time_zone(signed_in: Signed) -> None:
    from masthead.core import publication

    publication.publication_update(values={"time_zone": "Asia/Tokyo"})
    client = signed_in("editor")
    body = client.get("/newsroom/").content.decode()
    assert "Times are in Asia/Tokyo" in body
