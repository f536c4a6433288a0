"""Every reader-facing page costs a fixed number of queries, whatever the site's size.

Counted with the page cache off. "full": the fragments are built too (a cold page, or
fragments off); "warm": the page's fragments come from this process's copies (ADR 0025).
Each page is counted at two sizes of site; the counts must be the same and as listed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.blog import services
from masthead.blog.models import AuthorProfile, Post, PostTag, Tag
from masthead.core import pagecache
from tests.blog.factories import make_author, make_tag, published_post
from tests.shared_reads import own_queries

pytestmark = pytest.mark.django_db

# page: (full, warm), not counting the reads of the content version (at most one a second
# per process) and of the publication's settings (one per version per process;
# core/publication.py), which are queries only when the shared cache is the database cache.
# Warm list pages read their count with their fragments; sitemaps and feeds are kept whole
# (pagecache.kept_response); the tag and author pages look their tag or author up once
# per content version (pagecache.memo). A post's pieces load its related posts, then the
# tags and authors of all of them (0108).
EXPECTED = {
    "/first/": (4, 0),
    "/": (7, 0),
    "/blog/": (5, 0),
    "/tag/topic/": (5, 0),
    "/author/writer/": (5, 0),
    "/archive/": (2, 0),
    "/feed/rss/": (3, 0),
    "/tag/topic/atom/": (4, 0),
    "/author/writer/rss/": (4, 0),
    "/sitemap.xml": (3, 0),
    "/sitemap-posts.xml": (2, 0),
    "/sitemap-tags.xml": (2, 0),
    "/sitemap-authors.xml": (2, 0),
}


def _site(posts: int) -> None:
    tags = [make_tag(name="Topic", slug="topic"), make_tag(name="Other", slug="other")]
    authors = [make_author(slug="writer", display_name="Writer"), make_author(slug="second")]
    published_post(slug="first", tags=tags, authors=authors, featured=True)
    for n in range(posts - 1):
        published_post(
            slug=f"post-{n}", tags=tags[: 1 + n % 2], authors=authors[: 1 + n % 2], featured=n < 2
        )


def _count(url: str, client: Client | None = None) -> int:
    client = client or Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(own_queries(queries))


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


def test_the_same_counts_at_5000_posts(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site of 5,000 posts (bulk-inserted as the demo's ``--posts`` loader does, related
    posts ranked) costs each page the queries it costs at 3."""
    _site(3)
    tags = list(Tag.objects.order_by("pk")) + [make_tag() for _ in range(20)]
    users = [a.user_id for a in AuthorProfile.objects.all()]
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(title=f"Bulk {n}", slug=f"bulk-post-with-an-address-as-long-as-most-{n}", excerpt="Words.", body_html="<p>Words.</p>",
             status=Post.Status.PUBLISHED, published_at=now - timedelta(hours=2 + n))
        for n in range(5000)
    )  # fmt: skip
    PostTag.objects.bulk_create(
        PostTag(post=post, tag=tag, position=i)
        for n, post in enumerate(posts)
        for i, tag in enumerate(dict.fromkeys([tags[n % len(tags)], tags[n * 7 % len(tags)]]))
    )
    Post.authors.through.objects.bulk_create(
        Post.authors.through(post_id=post.pk, user_id=users[n % len(users)])
        for n, post in enumerate(posts)
    )
    services.posts_related_refresh(everything=True)
    assert _counts(settings, monkeypatch) == EXPECTED
    # "post*": posts nobody has read yet, spread over the site, cost what /first/ costs
    # cold, then what it costs warm (the related posts are read by key, not by a scan).
    for post in Post.objects.filter(pk__in=[p.pk for p in posts[::997]]):
        assert post.related_ids
        url = post.get_absolute_url()
        settings.FRAGMENT_CACHE_SECONDS = 0
        cold = _count(url)
        settings.FRAGMENT_CACHE_SECONDS = 600
        Client().get(url)
        assert (cold, _count(url)) == EXPECTED["/first/"], url
    # A file of 1,000 posts is over the entry limit as XML; it is kept compressed.
    assert len(Client().get("/sitemap-posts.xml").content) > settings.PAGE_CACHE_ENTRY_BYTES
    Client().get("/sitemap-posts.xml?p=6")  # the last of six files (1,000 posts a file)
    with CaptureQueriesContext(connection) as q:
        Client().get("/sitemap-posts.xml?p=06")
    # Only the imports' check for an old ?p=N address (exchange's PathRedirectMiddleware).
    assert [sql for sql in own_queries(q) if "exchange_pathredirect" not in sql] == []
    assert Client().get("/sitemap-posts.xml?p=7").status_code == 404


def test_a_signed_in_member_adds_only_the_session_and_user(
    settings: Any, monkeypatch: pytest.MonkeyPatch, django_user_model: Any
) -> None:
    _site(3)
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 3600.0)
    client = Client()
    client.force_login(django_user_model.objects.create(username="reader"))
    client.get("/first/")
    assert _count("/first/", client) == EXPECTED["/first/"][1] + 2
