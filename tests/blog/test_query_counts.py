"""Every reader-facing page costs a fixed number of queries, whatever the site's size.

Counted with the page cache off. "full": the fragments are built too (a cold page, or
fragments off); "warm": the page's fragments come from this process's copies (ADR 0025).
Each page is counted at two sizes of site; the counts must be the same and as listed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.core import pagecache
from tests.blog.factories import make_author, make_tag, published_post

pytestmark = pytest.mark.django_db

# page: (full, warm), not counting the one read of the publication's settings per request
# (core/publication.py), which is a query only when the shared cache is the database cache.
EXPECTED = {
    "/first/": (6, 1),
    "/": (7, 1),
    "/blog/": (5, 1),
    "/tag/topic/": (5, 2),
    "/author/writer/": (5, 2),
    "/archive/": (2, 1),
    "/feed/rss/": (3, 3),
    "/tag/topic/atom/": (4, 4),
    "/author/writer/rss/": (4, 4),
    "/sitemap.xml": (3, 3),
    "/sitemap-posts.xml": (2, 2),
    "/sitemap-tags.xml": (2, 2),
    "/sitemap-authors.xml": (2, 2),
}


def _site(posts: int) -> None:
    tags = [make_tag(name="Topic", slug="topic"), make_tag(name="Other", slug="other")]
    authors = [make_author(slug="writer", display_name="Writer"), make_author(slug="second")]
    published_post(slug="first", tags=tags, authors=authors, featured=True)
    for n in range(posts - 1):
        published_post(
            slug=f"post-{n}", tags=tags[: 1 + n % 2], authors=authors[: 1 + n % 2], featured=n < 2
        )


def _settings_reads() -> int:
    from django.conf import settings

    return int("DatabaseCache" in settings.CACHES["default"]["BACKEND"])


def _count(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries) - _settings_reads()


def _counts(settings: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[int, int]]:
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    for url in EXPECTED:
        Client().get(url)  # what a process loads once (the sites framework's row)
    full = {url: _count(url) for url in EXPECTED}
    settings.FRAGMENT_CACHE_SECONDS = 600
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 3600.0)
    for url in EXPECTED:
        Client().get(url)  # builds and keeps the fragments (and reads the version once)
    warm = {url: _count(url) for url in EXPECTED}
    return {url: (full[url], warm[url]) for url in EXPECTED}


@pytest.fixture(autouse=True)
def _fresh(settings: Any) -> None:
    cache.clear()
    pagecache.clear_local()


@pytest.mark.parametrize("posts", [3, 12])
def test_each_page_costs_the_listed_queries_at_any_size(
    settings: Any, monkeypatch: pytest.MonkeyPatch, posts: int
) -> None:
    _site(posts)
    assert _counts(settings, monkeypatch) == EXPECTED


def test_a_signed_in_member_adds_only_the_session_and_user(
    settings: Any, monkeypatch: pytest.MonkeyPatch, django_user_model: Any
) -> None:
    _site(3)
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 3600.0)
    client = Client()
    client.force_login(django_user_model.objects.create(username="reader"))
    client.get("/first/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/first/").status_code == 200
    assert len(queries) == EXPECTED["/first/"][1] + 2 + _settings_reads(), [
        q["sql"] for q in queries
    ]
