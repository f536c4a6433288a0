"""Metadata for search engines and social cards: canonical URLs, OpenGraph and JSON-LD.

Absolute URLs are built from ``settings.SITE_URL``, never from the request's Host header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage

from masthead.blog.models import AuthorProfile, Post, Tag
from masthead.core import publication


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    description: str
    canonical: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    published: str = ""
    modified: str = ""
    section: str = ""
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # (type, title, url)
    json_ld: list[dict[str, Any]] = field(default_factory=list)


def _crumbs(*items: tuple[str, str]) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
            for i, (name, path) in enumerate(items, start=1)
        ],
    }


def _site_feeds() -> list[tuple[str, str, str]]:
    return [
        ("application/rss+xml", f"{publication.current().name} (RSS)", "/feed/rss/"),
        ("application/atom+xml", f"{publication.current().name} (Atom)", "/feed/atom/"),
    ]


def for_list(*, title: str, path: str, description: str = "") -> Meta:
    return Meta(
        title=title,
        description=description or publication.current().description,
        canonical=absolute(path),
        feeds=_site_feeds(),
        json_ld=[_crumbs((publication.current().name, "/"))] if path == "/" else [],
    )


def for_tag(*, tag: Tag) -> Meta:
    base = tag.get_absolute_url()
    return Meta(
        title=f"{tag.name} · {publication.current().name}",
        description=tag.description or f"Posts about {tag.name} on {publication.current().name}.",
        canonical=absolute(base),
        feeds=[
            ("application/rss+xml", f"{tag.name} (RSS)", f"{base}rss/"),
            ("application/atom+xml", f"{tag.name} (Atom)", f"{base}atom/"),
        ],
        json_ld=[_crumbs((publication.current().name, "/"), (tag.name, base))],
    )


def for_author(*, author: AuthorProfile) -> Meta:
    base = author.get_absolute_url()
    return Meta(
        title=f"{author.display_name} · {publication.current().name}",
        description=(author.bio[:200] or f"Posts by {author.display_name}."),
        canonical=absolute(base),
        og_type="profile",
        feeds=[
            ("application/rss+xml", f"{author.display_name} (RSS)", f"{base}rss/"),
            ("application/atom+xml", f"{author.display_name} (Atom)", f"{base}atom/"),
        ],
        json_ld=[_crumbs((publication.current().name, "/"), (author.display_name, base))],
    )


def hero_url(post: Post) -> str:
    return absolute(default_storage.url(post.hero_image.name)) if post.hero_image else ""


def for_post(*, post: Post) -> Meta:
    url = absolute(post.get_absolute_url())
    tag = post.primary_tag
    authors = post.author_profiles
    published = post.published_at.isoformat() if post.published_at else ""
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.meta_description or post.excerpt,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": post.canonical_url or url},
        "datePublished": published,
        "dateModified": post.updated_at.isoformat(),
        "author": [
            {"@type": "Person", "name": a.display_name, "url": absolute(a.get_absolute_url())}
            for a in authors
        ],
        "publisher": {"@type": "Organization", "name": publication.current().name},
        "isAccessibleForFree": not post.is_members_only,
        "commentCount": post.comment_count,
    }
    if post.hero_image:
        posting["image"] = hero_url(post)
    crumbs = [(publication.current().name, "/")]
    if tag is not None:
        posting["articleSection"] = tag.name
        crumbs.append((tag.name, tag.get_absolute_url()))
    crumbs.append((post.title, post.get_absolute_url()))
    return Meta(
        title=post.meta_title or post.title,
        description=post.meta_description or post.excerpt or publication.current().description,
        canonical=post.canonical_url or url,
        og_type="article",
        image=hero_url(post),
        image_alt=post.hero_alt,
        published=published,
        modified=post.updated_at.isoformat(),
        section=tag.name if tag else "",
        feeds=_site_feeds(),
        json_ld=[posting, _crumbs(*crumbs)],
    )
