"""No reader-facing list grows with the site: archive pages, sitemap files, feeds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from masthead.blog import feeds, sitemaps, views
from tests.blog.factories import published_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 0
    for n in range(12):
        published_post(slug=f"post-{n:02d}", title=f"Title {n:02d}")


def test_the_archive_is_paginated_and_ends_with_a_404(
    twelve: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ARCHIVE_PER_PAGE", 5)
    seen = []
    for page in (1, 2, 3):
        html = Client().get("/archive/", {"page": page}).content.decode()
        seen += re.findall(r'<a href="/(post-\d\d)/">', html)
        assert f"Page {page} of 3" in html
    assert sorted(seen) == [f"post-{n:02d}" for n in range(12)]
    assert Client().get("/archive/", {"page": 4}).status_code == 404


def test_sitemaps_are_split_into_files_the_index_lists(
    twelve: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sitemaps.SITEMAP_LIMIT == 1000
    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 5)
    index = Client().get("/sitemap.xml").content.decode()
    files = re.findall(r"<loc>[^<]*/(sitemap-posts\.xml(?:\?p=\d)?)</loc>", index)
    assert files == ["sitemap-posts.xml", "sitemap-posts.xml?p=2", "sitemap-posts.xml?p=3"]
    urls = []
    for page in (1, 2, 3):
        body = Client().get("/sitemap-posts.xml", {"p": page}).content.decode()
        urls += re.findall(r"<loc>http[^<]*/(post-\d\d)/</loc>", body)
    assert sorted(urls) == [f"post-{n:02d}" for n in range(12)]
    assert Client().get("/sitemap-posts.xml", {"p": 4}).status_code == 404


def test_feeds_carry_at_most_their_item_count(
    twelve: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "FEED_ITEMS", 4)
    for url in ("/feed/rss/", "/feed/atom/"):
        body = Client().get(url).content.decode()
        assert len(re.findall(r"<(?:item|entry)>", body)) == 4, url
