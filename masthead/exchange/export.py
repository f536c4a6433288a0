"""The whole publication as one zip that Masthead (and Ghost) can import.

    masthead-export.json   Ghost 5's export shape: posts, posts_meta, tags, posts_tags,
                           users, posts_authors, members, members_newsletters, newsletters.
                           Each body is a Mobiledoc holding one Markdown card with the post's
                           Markdown exactly, so nothing is lost converting it, and Ghost
                           itself reads it as a Markdown post.
    content/images/…       every hero image and every image a body shows from this site's
                           media, at the path the JSON names (``__GHOST_URL__/content/images/…``)
    redirects.json         old slugs and old addresses, in Ghost's redirects format
    members.csv            subscribers in Ghost's members CSV columns

Re-importing (``import_ghost masthead-export.zip``) into an empty site gives back the same
posts, tags, authors, images and subscribers (tests/exchange/test_export.py). Subscribers
waiting for their confirmation are not exported: they never confirmed.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone

from masthead import spreadsheets
from masthead.blog.models import AuthorProfile, Post, PostTag, SlugRedirect, Tag
from masthead.exchange.contentapi import ghost_id
from masthead.exchange.models import PathRedirect
from masthead.newsletter.models import Subscriber

EXPORT_VERSION = "5.0.0"
GHOST_MEMBER_COLUMNS = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
]
_MEDIA_IMAGE = re.compile(r"(!\[[^\]\n]*\]\()([^)\s]+)")


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _mobiledoc(markdown: str) -> str:
    return json.dumps(
        {
            "version": "0.3.1",
            "atoms": [],
            "markups": [],
            "cards": [["markdown", {"markdown": markdown}]],
            "sections": [[10, 0]],
        }
    )


class _Images:
    """Media files named by the export, collected as they are met."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def address(self, name: str) -> str:
        self.names.add(name)
        return f"__GHOST_URL__/content/images/{name}"

    def body(self, text: str) -> str:
        prefix = settings.MEDIA_URL

        def replace(match: re.Match[str]) -> str:
            url = match.group(2)
            if not url.startswith(prefix):
                return match.group(0)
            name = url[len(prefix) :]
            if ".." in PurePosixPath(name).parts or not default_storage.exists(name):
                return match.group(0)
            return match.group(1) + self.address(name)

        return _MEDIA_IMAGE.sub(replace, text)


def members_rows() -> Iterator[list[object]]:
    """Subscribers as rows of Ghost's members CSV (pending ones left out)."""
    queryset = Subscriber.objects.exclude(status=Subscriber.Status.PENDING).order_by("pk")
    for subscriber in queryset.iterator(chunk_size=2000):
        yield [
            subscriber.pk,
            subscriber.email,
            "",
            "",
            "true" if subscriber.status == Subscriber.Status.ACTIVE else "false",
            "false",
            "",
            _iso(subscriber.confirmed_at or subscriber.created_at),
            "",
            "",
            "",
        ]


def members_csv(stream: io.TextIOBase | Any) -> int:
    writer = spreadsheets.writer(stream)
    writer.writerow(GHOST_MEMBER_COLUMNS)
    count = 0
    for row in members_rows():
        writer.writerow(row)
        count += 1
    return count


def site_document(images: _Images, progress: Callable[[str, int, int], None]) -> dict[str, Any]:
    posts, posts_meta, posts_tags, posts_authors = [], [], [], []
    queryset = Post.objects.order_by("pk").prefetch_related("authors")
    total = queryset.count()
    author_links = Post.authors.through.objects.order_by("pk")
    authors_of: dict[int, list[int]] = {}
    for link in author_links:
        authors_of.setdefault(link.post_id, []).append(link.user_id)
    for done, post in enumerate(queryset.iterator(chunk_size=500), 1):
        pid = ghost_id(post.pk)
        hero = images.address(post.hero_image.name or "") if post.hero_image else None
        posts.append(
            {
                "id": pid,
                "title": post.title,
                "slug": post.slug,
                "mobiledoc": _mobiledoc(images.body(post.body)),
                "lexical": None,
                "html": post.body_html,
                "feature_image": hero,
                "featured": post.featured,
                "type": "post",
                "status": post.status,
                "visibility": "members" if post.is_members_only else "public",
                "created_at": _iso(post.created_at),
                "updated_at": _iso(post.updated_at),
                "published_at": _iso(post.published_at),
                "custom_excerpt": post.excerpt or None,
                "canonical_url": post.canonical_url or None,
            }
        )
        posts_meta.append(
            {
                "id": pid,
                "post_id": pid,
                "meta_title": post.meta_title or None,
                "meta_description": post.meta_description or None,
                "feature_image_alt": post.hero_alt or None,
                "feature_image_caption": html.escape(post.hero_caption) or None,
            }
        )
        for order, user_id in enumerate(authors_of.get(post.pk, [])):
            posts_authors.append(
                {
                    "id": f"{pid}-a{order}",
                    "post_id": pid,
                    "author_id": ghost_id(user_id),
                    "sort_order": order,
                }
            )
        progress("posts", done, total)
    for tag_link in PostTag.objects.order_by("post_id", "position", "pk"):
        posts_tags.append(
            {
                "id": ghost_id(tag_link.pk),
                "post_id": ghost_id(tag_link.post_id),
                "tag_id": ghost_id(tag_link.tag_id),
                "sort_order": tag_link.position,
            }
        )
    tags = [
        {
            "id": ghost_id(tag.pk),
            "name": tag.name,
            "slug": tag.slug,
            "description": tag.description or None,
            "visibility": "public",
        }
        for tag in Tag.objects.order_by("pk")
    ]
    user_ids = set(AuthorProfile.objects.values_list("user_id", flat=True))
    user_ids |= {uid for ids in authors_of.values() for uid in ids}
    profiles = {p.user_id: p for p in AuthorProfile.objects.all()}
    users = []
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        profile = profiles.get(user.pk)
        users.append(
            {
                "id": ghost_id(user.pk),
                "email": user.email,
                "name": profile.display_name if profile else user.get_username(),
                "slug": profile.slug if profile else user.get_username(),
                "bio": (profile.bio or None) if profile else None,
            }
        )
    members, links = [], []
    for row in members_rows():
        mid = ghost_id(int(str(row[0])))
        members.append(
            {
                "id": mid,
                "email": row[1],
                "name": None,
                "status": "free",
                "created_at": row[7],
                "email_disabled": False,
            }
        )
        if row[4] == "true":
            links.append({"id": mid, "member_id": mid, "newsletter_id": "1"})
    return {
        "db": [
            {
                "meta": {
                    "exported_on": int(timezone.now().timestamp() * 1000),
                    "version": EXPORT_VERSION,
                    "exported_by": settings.SITE_NAME,
                },
                "data": {
                    "posts": posts,
                    "posts_meta": posts_meta,
                    "tags": tags,
                    "posts_tags": posts_tags,
                    "users": users,
                    "posts_authors": posts_authors,
                    "members": members,
                    "newsletters": [
                        {"id": "1", "name": settings.SITE_NAME, "slug": "default-newsletter"}
                    ],
                    "members_newsletters": links,
                },
            }
        ]
    }


def redirects() -> list[dict[str, Any]]:
    out = [
        {"from": f"^/{r.old_slug}/$", "to": r.post.get_absolute_url(), "permanent": True}
        for r in SlugRedirect.objects.select_related("post").order_by("pk")
    ]
    out += [
        {"from": "^" + re.escape(r.old_path) + "$", "to": r.target, "permanent": True}
        for r in PathRedirect.objects.order_by("pk")
    ]
    return out


def site_export(
    *, output: Path, progress: Callable[[str, int, int], None] = lambda *_: None
) -> dict[str, int]:
    """Write the archive to ``output`` (via a temporary name: a failure leaves no half file)."""
    images = _Images()
    document = site_document(images, progress)
    partial = output.with_name(output.name + ".part")
    output.parent.mkdir(parents=True, exist_ok=True)
    counts = {
        "posts": len(document["db"][0]["data"]["posts"]),
        "images": 0,
        "members": 0,
        "redirects": 0,
    }
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "masthead-export.json", json.dumps(document, ensure_ascii=False, indent=1)
            )
            names = sorted(images.names)
            for done, name in enumerate(names, 1):
                if default_storage.exists(name):
                    with default_storage.open(name, "rb") as handle:
                        archive.writestr(
                            f"content/images/{name}",
                            handle.read(),
                            compress_type=zipfile.ZIP_STORED,
                        )
                    counts["images"] += 1
                progress("images", done, len(names))
            moved = redirects()
            archive.writestr("redirects.json", json.dumps(moved, indent=1))
            counts["redirects"] = len(moved)
            text = io.StringIO()
            counts["members"] = members_csv(text)
            archive.writestr("members.csv", text.getvalue())
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return counts
