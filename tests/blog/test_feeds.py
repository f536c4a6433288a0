"""Feeds, sitemaps, robots.txt and llms.txt."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest

from masthead.blog.models import Post
from tests.blog.factories import make_author, make_tag, published_post

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts() -> list[Post]:
    tag = make_tag("AI", "ai")
    author = make_author(slug="nadia", display_name="Nadia")
    return [
        published_post(slug="open", title="Open post", body="Public body words.", tags=[tag], authors=[author]),
        published_post(
            slug="locked", title="Locked post", excerpt="Teaser only.", body="Secret body words.",
            visibility=Post.Visibility.MEMBERS, tags=[tag], authors=[author],
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("url", ["/feed/rss/", "/tag/ai/rss/", "/author/nadia/rss/"])
def test_rss_feeds_list_posts_with_absolute_links(client: Any, posts: list[Post], url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    links = [item.findtext("link") for item in root.iter("item")]
    assert set(links) == {"https://masthead.test/open/", "https://masthead.test/locked/"}
    descriptions = "".join(item.findtext("description") or "" for item in root.iter("item"))
    assert "Public body words." in descriptions
    assert "Secret body words." not in descriptions and "Teaser only." in descriptions


@pytest.mark.parametrize("url", ["/feed/atom/", "/tag/ai/atom/", "/author/nadia/atom/"])
def test_atom_feeds(client: Any, posts: list[Post], url: str) -> None:
    root = ElementTree.fromstring(client.get(url).content)
    entries = list(root.iter(f"{ATOM}entry"))
    assert len(entries) == 2
    assert b"Secret body words." not in client.get(url).content


def test_feed_for_unknown_tag_is_404(client: Any) -> None:
    assert client.get("/tag/nope/rss/").status_code == 404


def test_sitemap_index_and_sections(client: Any, posts: list[Post]) -> None:
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert b"https://masthead.test/sitemap-posts.xml" in index.content
    section = client.get("/sitemap-posts.xml").content.decode()
    assert "https://masthead.test/open/" in section and "https://masthead.test/locked/" in section
    assert "Secret body" not in section
    assert client.get("/sitemap-tags.xml").status_code == 200
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_sitemap_registry_is_extensible(client: Any, posts: list[Post]) -> None:
    from masthead.blog.sitemaps import SITEMAPS, PageSitemap

    SITEMAPS["extra"] = PageSitemap
    try:
        assert b"sitemap-extra.xml" in client.get("/sitemap.xml").content
        assert client.get("/sitemap-extra.xml").status_code == 200
    finally:
        del SITEMAPS["extra"]


def test_robots_and_llms(client: Any, posts: list[Post]) -> None:
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://masthead.test/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots
    llms = client.get("/llms.txt").content.decode()
    assert "[Open post](https://masthead.test/open.md)" in llms
