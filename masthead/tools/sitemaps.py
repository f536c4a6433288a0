"""The tools section of the sitemap; the blog's sitemap index lists it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from masthead.tools import registry
from masthead.tools.registry import ToolSpec


class ToolSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    priority = 0.6

    def items(self) -> list[ToolSpec | str]:
        return ["/tools/", *registry.all_tools()]

    def location(self, item: ToolSpec | str) -> str:
        return item if isinstance(item, str) else item.url

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(settings.SITE_URL).scheme
