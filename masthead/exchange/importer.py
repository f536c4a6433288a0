"""Writes a ``Bundle`` (what a reader made of an export) in one transaction.

Re-running an import updates what the earlier run made (``ImportedItem`` maps the old
platform's ids to rows) and never touches a row the site made itself: a post whose slug is
taken by such a row is skipped with that reason. A failure anywhere rolls the whole import
back and removes the media files it stored, so the site is left as it was. A dry run does
everything but store files, then rolls back.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from PIL import Image

from masthead.blog import markdown, services
from masthead.blog.models import AuthorProfile, Post, PostTag, SlugRedirect, Tag
from masthead.core import pagecache
from masthead.exchange.archive import Media
from masthead.exchange.models import ImportedItem, PathRedirect
from masthead.exchange.records import (
    AuthorRecord,
    Bundle,
    ImportRefused,
    ImportReport,
    MemberRecord,
    PostRecord,
    TagRecord,
)
from masthead.newsletter import imports as newsletter_imports

Progress = Callable[[str, int, int], None]
Locate = Callable[[str], str | None]  # an image address -> its path in the media, or None

_MD_IMAGE = re.compile(r"(!\[[^\]\n]*\]\()([^)\s]+)")
MAX_IMAGE_PIXELS = 80_000_000


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _check(bundle: Bundle) -> None:
    """Refuse the whole file for records that cannot be imported, naming them."""
    for author in bundle.authors:
        if not author.email.strip():
            raise ImportRefused(
                f"The author {author.label or author.name!r} has no email address; add one in "
                "the export (authors sign in by email) and import again.",
                code="author_without_email",
            )
    slugs: dict[str, PostRecord] = {}
    for post in bundle.posts:
        if not post.slug:
            raise ImportRefused(f"The {post.label} has no slug.", code="bad_record")
        if post.slug in slugs:
            raise ImportRefused(
                f"Two posts have the slug {post.slug!r}: {slugs[post.slug].label} and "
                f"{post.label}. Give one of them another slug and import again.",
                code="duplicate_slug",
            )
        slugs[post.slug] = post
    counts = Counter(tag.slug for tag in bundle.tags)
    for slug, count in counts.items():
        if count > 1:
            raise ImportRefused(f"{count} tags have the slug {slug!r}.", code="duplicate_slug")


class _Writer:
    def __init__(
        self, bundle: Bundle, media: Media, locate: Locate, report: ImportReport, progress: Progress
    ) -> None:
        self.bundle, self.media, self.locate = bundle, media, locate
        self.report, self.progress = report, progress
        self.stored: list[str] = []  # files this run wrote (removed if it fails)
        self.mapping: dict[tuple[str, str], int] = {
            (item.kind, item.external_id): item.object_id
            for item in ImportedItem.objects.filter(source=bundle.source)
        }
        self.users: dict[str, Any] = {}
        self.tags: dict[str, Tag] = {}

    # --- media ---------------------------------------------------------------------------

    def store_image(self, address: str, what: str) -> str | None:
        """The stored file's name for an image address, or None (reported) when absent."""
        relative = self.locate(address)
        if relative is None:
            if address.startswith(("http://", "https://")):
                self.report.skipped.append(
                    (what, f"image {address} stays on the old site; this site shows only its own")
                )
            return None
        data = self.media.find(relative)
        if data is None:
            self.report.skipped.append((what, f"image {address} is not in the media folder"))
            return None
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValueError("too many pixels")
                image.verify()
        except Exception:  # noqa: BLE001  (any decoder failure means "not an image")
            self.report.skipped.append((what, f"{relative} is not an image that can be read"))
            return None
        digest = hashlib.sha256(data).hexdigest()[:12]
        name = f"imports/{self.bundle.source}/{digest}-{PurePosixPath(relative).name}"
        if self.report.dry_run or default_storage.exists(name):
            return name
        saved = default_storage.save(name, ContentFile(data))
        self.stored.append(saved)
        self.report.media += 1
        return saved

    def rewrite_images(self, body: str, what: str) -> str:
        def replace(match: re.Match[str]) -> str:
            stored = self.store_image(match.group(2), what)
            if stored is None:
                return match.group(0)
            return match.group(1) + default_storage.url(stored)

        return _MD_IMAGE.sub(replace, body)

    # --- rows ----------------------------------------------------------------------------

    def remember(self, kind: str, key: str, pk: int) -> None:
        if self.mapping.get((kind, key)) == pk:
            return
        ImportedItem.objects.update_or_create(
            source=self.bundle.source, kind=kind, external_id=key, defaults={"object_id": pk}
        )
        self.mapping[(kind, key)] = pk

    def author(self, record: AuthorRecord) -> None:
        user_model = get_user_model()
        email = record.email.strip().lower()
        user = user_model.objects.filter(email__iexact=email).first()
        if user is None:
            base = slugify(email.split("@")[0])[:100] or "author"
            username, n = base, 1
            while user_model.objects.filter(username=username).exists():
                n += 1
                username = f"{base}-{n}"
            user = user_model.objects.create(username=username, email=email, is_active=False)
            self.report.add(self.report.created, "authors")
        profile = AuthorProfile.objects.filter(user=user).first()
        if profile is None:
            slug = self.free_slug(AuthorProfile, slugify(record.slug or record.name) or "author")
            AuthorProfile.objects.create(
                user=user, display_name=record.name or email, slug=slug, bio=record.bio
            )
        self.remember("author", record.key, user.pk)
        self.users[record.key] = user

    def free_slug(self, model: type[AuthorProfile] | type[Tag], slug: str) -> str:
        candidate, n = slug, 1
        while model.objects.filter(slug=candidate).exists():
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def tag(self, record: TagRecord) -> None:
        slug = slugify(record.slug) or slugify(record.name) or "tag"
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            name = record.name[:80] or slug
            if Tag.objects.filter(name=name).exists():
                name = f"{name} ({slug})"[:80]
            tag = Tag.objects.create(name=name, slug=slug, description=record.description)
            self.report.add(self.report.created, "tags")
        self.remember("tag", record.key, tag.pk)
        self.tags[record.key] = tag

    def post(self, record: PostRecord) -> None:
        what = record.label or f"post {record.slug!r}"
        known = self.mapping.get(("post", record.key))
        post = Post.objects.filter(pk=known).first() if known else None
        slug = slugify(record.slug)[:200] or f"post-{slugify(record.key)}"
        if post is None:
            owner = Post.objects.filter(slug=slug).first()
            if owner is not None:
                self.report.skipped.append(
                    (what, f"the slug {slug!r} is already used by a post of this site")
                )
                return
            post = Post()
        old = _snapshot(post) if post.pk else None
        old_tags = [t.pk for t in post.ordered_tags] if post.pk else []
        old_authors = sorted(u.pk for u in post.authors.all()) if post.pk else []

        post.title = record.title[:200] or slug
        post.slug = slug
        post.body = self.rewrite_images(record.body, what)
        post.excerpt = record.excerpt[:500]
        post.status = record.status
        post.published_at = record.published_at
        post.featured = record.featured
        post.visibility = Post.Visibility.MEMBERS if record.members_only else Post.Visibility.PUBLIC
        post.meta_title = record.meta_title[:200]
        post.meta_description = record.meta_description[:300]
        post.canonical_url = record.canonical_url[:200]
        post.hero_alt = record.hero_alt[:250]
        post.hero_caption = record.hero_caption[:300]
        hero_changed = False
        if record.hero:
            stored = self.store_image(record.hero, what)
            if stored is not None and post.hero_image.name != stored:
                hero_changed = not self.report.dry_run
                post.hero_image.name = stored
        elif post.hero_image:
            post.hero_image.name = ""
            hero_changed = True
        try:
            services.post_render_body(post=post)
        except markdown.MarkdownRefused as exc:
            raise ImportRefused(f"The body of {what} cannot be imported: {exc.message}") from exc
        services.post_prepare_status(post=post)
        if hero_changed and post.hero_image:
            hero_field: Any = Post._meta.get_field("hero_image")
            hero_field.update_dimension_fields(post, force=True)
        new_tags = [self.tags[k].pk for k in dict.fromkeys(record.tag_keys) if k in self.tags]
        authors = [self.users[k] for k in dict.fromkeys(record.author_keys) if k in self.users]
        if (
            old is not None
            and old == _snapshot(post)
            and old_tags == new_tags
            and old_authors == sorted(u.pk for u in authors)
        ):
            self.report.add(self.report.unchanged, "posts")
            return
        created = post.pk is None
        post.save()
        if record.created_at and created:
            Post.objects.filter(pk=post.pk).update(created_at=record.created_at)
        services.post_link_authors(post=post, users=authors)  # in order: the first is primary
        PostTag.objects.filter(post=post).delete()
        PostTag.objects.bulk_create(
            PostTag(post=post, tag_id=tag_id, position=i) for i, tag_id in enumerate(new_tags)
        )
        services.posts_related_changed(post_ids=[post.pk], tag_ids=old_tags)
        if hero_changed:
            services.post_make_hero_renditions(post=post)
        services.post_search_index(post=post)
        for old_slug in record.old_slugs:
            old_slug = slugify(old_slug)
            if (
                old_slug
                and old_slug != post.slug
                and not Post.objects.filter(slug=old_slug).exists()
            ):
                SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"post": post})
        self.remember("post", record.key, post.pk)
        for path in record.old_paths:
            self.redirect(path, post.get_absolute_url())
        self.report.add(self.report.created if created else self.report.updated, "posts")

    def redirect(self, old: str, target: str) -> None:
        if not old or old == target:
            return
        _, made = PathRedirect.objects.update_or_create(
            old_path=old[:500], defaults={"target": target, "source": self.bundle.source}
        )
        self.report.redirects += int(made)


def _snapshot(post: Post) -> tuple[object, ...]:
    return (
        post.title,
        post.slug,
        post.body,
        post.excerpt,
        post.status,
        post.published_at,
        post.featured,
        post.visibility,
        post.meta_title,
        post.meta_description,
        post.canonical_url,
        post.hero_image.name or "",
        post.hero_alt,
        post.hero_caption,
    )


def bundle_import(
    bundle: Bundle,
    *,
    media: Media | None = None,
    locate: Locate | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Write ``bundle``; raises ``ImportRefused`` (nothing saved) for a record it cannot take."""
    _check(bundle)
    report = ImportReport(dry_run=dry_run, skipped=list(bundle.skipped), notes=list(bundle.notes))
    writer = _Writer(bundle, media or Media(None), locate or (lambda _: None), report, progress)
    try:
        with transaction.atomic():
            for i, author in enumerate(bundle.authors, 1):
                writer.author(author)
                progress("authors", i, len(bundle.authors))
            for i, tag in enumerate(bundle.tags, 1):
                writer.tag(tag)
                progress("tags", i, len(bundle.tags))
            for i, post in enumerate(bundle.posts, 1):
                writer.post(post)
                progress("posts", i, len(bundle.posts))
            for old, target in bundle.redirects.items():
                writer.redirect(old, target)
            people = newsletter_imports.subscribers_merge(
                records=_subscribers(bundle.members), source=bundle.source
            )
            _report_audience(report, people)
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        for name in writer.stored:
            default_storage.delete(name)
        raise
    if not dry_run:
        pagecache.bump(site_wide=True)  # tags and authors of existing posts may have changed
    return report


def _subscribers(rows: Iterable[MemberRecord]) -> Iterator[newsletter_imports.ImportedSubscriber]:
    """The old platform's members as the newsletter's merge takes them (lazily: a 50,000-row
    CSV is never held whole)."""
    for row in rows:
        yield newsletter_imports.ImportedSubscriber(
            email=row.email,
            status="active" if row.subscribed else "unsubscribed",
            subscribed_at=row.created_at,
            label=row.label,
        )


def _report_audience(report: ImportReport, people: newsletter_imports.ImportReport) -> None:
    if people.created:
        report.add(report.created, "subscribers", people.created)
    if people.recorded_unsubscribed:
        report.add(
            report.created,
            "unsubscribed addresses (kept from the old site)",
            people.recorded_unsubscribed,
        )
    if people.already:
        report.add(report.unchanged, "subscribers", people.already)
    kept = people.kept_unsubscribed - people.recorded_unsubscribed
    if kept:
        report.skipped.append((f"{kept} subscribers", "unsubscribed here, so not subscribed again"))
    if people.not_confirmed:
        report.skipped.append(
            (f"{people.not_confirmed} subscribers", "never confirmed on the old site")
        )
    for label in people.invalid_labels:
        report.skipped.append((label, "not a valid email address"))
