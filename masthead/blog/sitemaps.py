"""Sitemaps, and ``SITEMAPS``: the sections the sitemap index lists.

The blog owns the index; the tools' section comes from ``masthead.tools.sitemaps`` (the
blog sits above the tools in the app layers, so the import runs this way only).

URLs are absolute from ``settings.SITE_URL`` (not the sites table). Members-only posts are
listed (their page is public) but nothing of their body is exposed here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from masthead.blog import selectors
from masthead.blog.models import AuthorProfile, Post, Tag
from masthead.tools.sitemaps import ToolSitemap

SITEMAP_LIMIT = 1000


class SiteSitemap(Sitemap):  # type: ignore[type-arg]
    """Takes domain and scheme from SITE_URL; at most 1,000 URLs a file (``?p=N``)."""

    limit = SITEMAP_LIMIT

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme


class PageSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["/", "/blog/", "/archive/"]

    def location(self, item: str) -> str:
        return item


class PostSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Post]:
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at")

    def location(self, item: Post) -> str:
        # What get_absolute_url() reverses to (posts live at the root, ADR 0100), without
        # a URL resolver walk for each of a file's 1,000 posts.
        return f"/{item.slug}/"

    def lastmod(self, item: Post) -> datetime:
        return item.updated_at


class TagSitemap(SiteSitemap):
    def items(self) -> QuerySet[Tag]:
        return selectors.tag_list_with_counts()


class AuthorSitemap(SiteSitemap):
    def items(self) -> QuerySet[AuthorProfile]:
        return selectors.author_list()


SITEMAPS: dict[str, Any] = {
    "pages": PageSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "tools": ToolSitemap,
}
