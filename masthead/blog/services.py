"""Writes for the blog: rendering, publishing, slug history, renditions and the search index.

The admin's ``save_model`` and the demo loader call these; ``Post.save()`` stays plain so a
bulk update or a fixture never re-renders behind the editor's back.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from html import escape
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from masthead import ocr
from masthead.blog import images, markdown, pieces, related, signals
from masthead.blog.forms import RESERVED_SLUGS
from masthead.blog.models import (
    BodyImage,
    Post,
    PostRevision,
    PostTag,
    PreviewLink,
    SlugRedirect,
    Tag,
)
from masthead.core import pagecache
from masthead.errors import MastheadError

logger = logging.getLogger(__name__)


def post_render_body(*, post: Post, rendered: markdown.Rendered | None = None) -> Post:
    """Fill ``body_html``, ``toc`` and ``reading_time`` from the Markdown body (not saved).

    ``rendered`` is the body already rendered by the form that validated it, so a long
    body is not rendered twice. Raises ``markdown.MarkdownRefused`` for a body over the
    size or time limits.
    """
    rendered = rendered or markdown.render(post.body)
    post.body_html = rendered.html
    post.toc = rendered.toc
    hero = 1 if post.hero_image else 0
    post.reading_time = markdown.reading_minutes(
        words=rendered.word_count, images=rendered.image_count + hero
    )
    return post


def post_prepare_status(*, post: Post) -> Post:
    """A published post without a publish time is published now (not saved)."""
    if post.status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    return post


def post_after_save(*, post: Post, old_slug: str | None, hero_changed: bool) -> None:
    """Everything that follows a saved edit: slug history, renditions, search, caches."""
    with transaction.atomic():
        post_record_slug_change(post=post, old_slug=old_slug)
        if hero_changed:
            post_make_hero_renditions(post=post)
        post_search_index(post=post)
        posts_related_changed(post_ids=[post.pk])
        pieces.touch([post.pk])
    pagecache.bump()


GONE_LIVE_WINDOW = timedelta(minutes=3)  # beat runs the check every minute


def posts_went_live(*, now: datetime | None = None) -> bool:
    """Bump the page cache if a scheduled post's publish time passed in the last minutes.

    No edit marks that moment, so without this cached pages and fragments (ADR 0025) would
    leave a due post off the lists until they expire. A bump more than needed costs one
    render per page; the window covers a beat that ran late.
    """
    now = now or timezone.now()
    due = Post.objects.filter(
        status=Post.Status.SCHEDULED, published_at__lte=now, published_at__gt=now - GONE_LIVE_WINDOW
    )
    if not due.exists():
        return False
    due_ids = list(due.values_list("pk", flat=True))
    posts_related_changed(post_ids=due_ids)
    pieces.touch(due_ids)
    pagecache.bump()
    return True


def post_record_slug_change(*, post: Post, old_slug: str | None) -> None:
    """Keep the old slug as a 301 redirect; a slug taken back stops redirecting."""
    SlugRedirect.objects.filter(old_slug=post.slug).delete()
    if old_slug and old_slug != post.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"post": post})


def post_make_hero_renditions(*, post: Post) -> None:
    if not post.hero_image:
        post.hero_renditions = []
    else:
        post.hero_image.open("rb")
        try:
            data = post.hero_image.read()
        finally:
            post.hero_image.close()
        stem = PurePosixPath(post.hero_image.name or "hero").stem[:60]
        post.hero_renditions = images.make_renditions(data, stem=stem)
    Post.objects.filter(pk=post.pk).update(hero_renditions=post.hero_renditions)


def post_set_tags(*, post: Post, tags: Sequence[Tag]) -> None:
    """Replace the post's tags; the first becomes the primary tag."""
    with transaction.atomic():
        # The posts that shared a tag it loses are ranked again too.
        losing = PostTag.objects.filter(post=post).values_list("tag_id", flat=True)
        posts_related_changed(post_ids=[post.pk], tag_ids=losing)
        PostTag.objects.filter(post=post).delete()
        PostTag.objects.bulk_create(
            PostTag(post=post, tag=tag, position=i) for i, tag in enumerate(tags)
        )
        _pieces_touch(post)
    pagecache.bump()


def post_set_authors(*, post: Post, authors: Sequence[Any]) -> None:
    """Replace who wrote ``post`` (at least one person); bylines change on the site."""
    if not authors:
        raise MastheadError("no_author", "A post needs at least one author.", status=400)
    with transaction.atomic():
        post_link_authors(post=post, users=authors)
        _pieces_touch(post)
    post_search_index(post=post)
    pagecache.bump()


def post_link_authors(*, post: Post, users: Sequence[Any]) -> None:
    """Link ``users`` to ``post`` in this order; the first is the primary author.

    The link table's row order is the authors' order (``models.authors_in_order``).
    ``set()`` would add the new links in the order of a Python set, so the rows are
    rewritten in the order asked whenever it differs.
    """
    wanted = list(dict.fromkeys(user.pk for user in users))
    links = Post.authors.through.objects.filter(post=post)
    if list(links.order_by("pk").values_list("user_id", flat=True)) == wanted:
        return
    links.delete()
    Post.authors.through.objects.bulk_create(
        Post.authors.through(post=post, user_id=pk) for pk in wanted
    )


def posts_set_status(*, posts: Iterable[Post], status: str) -> int:
    """Bulk publish / unpublish; publishing keeps an existing publish time."""
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for post in posts:
            before = signals.post_snapshot(post)
            post.status = status
            if status == Post.Status.PUBLISHED and post.published_at is None:
                post.published_at = now
            post.save(update_fields=["status", "published_at", "updated_at"])
            signals.post_changed_send(post=post, before=before)
            posts_related_changed(post_ids=[post.pk])
            _pieces_touch(post, before)
            count += 1
    pagecache.bump()
    return count


def posts_set_featured(*, posts: Iterable[Post], featured: bool) -> int:
    ids = [post.pk for post in posts]
    count = Post.objects.filter(pk__in=ids).update(featured=featured)
    pagecache.bump()
    return count


def _pieces_touch(post: Post, before: dict[str, Any] | None = None) -> None:
    """``post``'s page changed: its kept pieces and those of the posts showing its card
    no longer count. A post that is not and was not public has no page and no card."""
    if {post.status, (before or {}).get("status")} & set(Post.LIVE_STATUSES):
        pieces.touch([post.pk])


# --- related posts ----------------------------------------------------------------------


def posts_related_changed(*, post_ids: Iterable[int], tag_ids: Iterable[int] = ()) -> None:
    """The tags or the publication of ``post_ids`` change: rank related posts again.

    Call inside the write's transaction; the ranking runs after the commit (a task: at
    5,000 posts a tag is shared by hundreds), so it sees the tags as committed, including
    those the admin saves after the post. ``tag_ids``: tags the posts are losing, whose
    other posts may have listed them. If the broker is down the lists stay as they were:
    pages still show only live posts from them (``selectors.post_list_related``).
    """
    from masthead.blog import tasks  # tasks import this module

    posts, tags = sorted(set(post_ids)), sorted(set(tag_ids))
    undone = f"related posts of {posts} not ranked again"
    tasks.delay_after_commit(tasks.posts_related_refresh, posts, tags, undone=undone)


def posts_related_refresh(
    *, post_ids: Iterable[int] = (), tag_ids: Iterable[int] = (), everything: bool = False
) -> int:
    """Rank and store the related posts of ``post_ids``, of every live post that shares a
    tag with them or carries one of ``tag_ids`` (or of ``everything``); the number changed.

    Only live posts are ranked as related, but every post named gets its list, so a
    scheduled post has its own ready when it goes live. Reads the tag links of the tags
    involved (one query) and writes only the lists that changed.
    """
    live = Post.objects.published()
    post_ids = set(post_ids)
    if everything:
        targets = set(live.values_list("pk", flat=True))
    else:
        tags = set(tag_ids) | set(
            PostTag.objects.filter(post_id__in=post_ids).values_list("tag_id", flat=True)
        )
        targets = post_ids | set(
            PostTag.objects.filter(tag_id__in=tags, post__in=live).values_list("post_id", flat=True)
        )
    target_tags: dict[int, set[int]] = {pk: set() for pk in targets}
    for post_id, tag_id in PostTag.objects.filter(post_id__in=targets).values_list(
        "post_id", "tag_id"
    ):
        target_tags[post_id].add(tag_id)
    involved = set().union(*target_tags.values())
    links = PostTag.objects.filter(tag_id__in=involved, post__in=live).values_list(
        "post_id", "tag_id", "post__published_at"
    )
    ranked = related.rank(((p, t, at) for p, t, at in links if at is not None), target_tags)
    current = dict(Post.objects.filter(pk__in=targets).values_list("pk", "related_ids"))
    changed = [
        Post(pk=pk, related_ids=ranked.get(pk, []))
        for pk, ids in current.items()
        if ids != ranked.get(pk, [])
    ]
    Post.objects.bulk_update(changed, ["related_ids"], batch_size=500)
    pieces.touch([post.pk for post in changed], showing=False)  # their own lists changed
    if changed:  # pages built between the edit and this ranking hold the old lists
        pagecache.bump()
    return len(changed)


# --- search index -----------------------------------------------------------------------


def _search_text(post: Post) -> str:
    return markdown.plain_text(post.body_html) if post.body_html else post.body


# (delete, insert) for the members' index and the visitors' one, in that order.
_FTS_WRITES = (
    (
        "DELETE FROM blog_post_fts WHERE rowid = %s",
        "INSERT INTO blog_post_fts (rowid, title, excerpt, body) VALUES (%s, %s, %s, %s)",
    ),
    (
        "DELETE FROM blog_post_fts_public WHERE rowid = %s",
        "INSERT INTO blog_post_fts_public (rowid, title, excerpt, body) VALUES (%s, %s, %s, %s)",
    ),
)


def post_search_index(*, post: Post) -> None:
    """Keep the SQLite FTS5 tables in step with the post (PostgreSQL generates its vectors).

    ``blog_post_fts`` holds everything, for members; ``blog_post_fts_public`` what a visitor
    may read: a members-only post's title and excerpt, without its body (migration 0004).
    """
    if connection.vendor != "sqlite":
        return
    text = _search_text(post)
    public_text = text if post.visibility == Post.Visibility.PUBLIC else ""
    with connection.cursor() as cursor:
        for (delete, insert), body in zip(_FTS_WRITES, (text, public_text), strict=True):
            cursor.execute(delete, [post.pk])
            cursor.execute(insert, [post.pk, post.title, post.excerpt, body])


def post_search_remove(*, post_ids: Iterable[int]) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for post_id in post_ids:
            cursor.execute("DELETE FROM blog_post_fts WHERE rowid = %s", [post_id])
            cursor.execute("DELETE FROM blog_post_fts_public WHERE rowid = %s", [post_id])


def post_search_rebuild() -> int:
    """Rebuild the whole index (after a bulk import)."""
    count = 0
    for post in Post.objects.all().iterator():
        post_search_index(post=post)
        count += 1
    return count


# --- drafts, revisions, preview links and body images (the newsroom's writes) -----------

REVISION_MERGE_SECONDS = 600
"""Autosaves by one person this close together update one revision instead of adding."""

DRAFT_FIELDS = ("title", "excerpt", "body")


class PostConflict(MastheadError):
    """Someone saved the post after the version this edit started from."""


def post_conflict(*, post: Post) -> PostConflict:
    when = timezone.localtime(post.updated_at).strftime("%H:%M")
    return PostConflict(
        "edit_conflict",
        f"Someone else saved this post at {when} (version {post.version}) while you were "
        "editing. Your text is still here: copy it, then reload to see their version.",
        status=409,
    )


def _render_into(post: Post) -> None:
    """Render the body (raising ``MarkdownRefused``) and place its body images."""
    rendered = markdown.render(post.body)
    post_render_body(post=post, rendered=rendered)
    post.body_html = body_images_place(html=post.body_html)


def post_save_draft(
    *,
    post_id: int,
    version: int,
    by: Any,
    fields: dict[str, Any],
    kind: str = PostRevision.Kind.SAVE,
) -> Post:
    """Save an edit made from ``version``; raise ``PostConflict`` if the post moved on.

    The body is rendered first, so a body over the limits or naming an unknown tool is
    refused before anything is written. The version check and the write are one
    conditional UPDATE, so two saves from the same version cannot both succeed.
    """
    current = Post.objects.get(pk=post_id)
    if current.version != version:
        raise post_conflict(post=current)
    old_slug = current.slug
    before = signals.post_snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _render_into(current)
    post_prepare_status(post=current)
    now = timezone.now()
    with transaction.atomic():
        changed = Post.objects.filter(pk=post_id, version=version).update(
            **{name: getattr(current, name) for name in fields},
            body_html=current.body_html,
            toc=current.toc,
            reading_time=current.reading_time,
            published_at=current.published_at,
            version=version + 1,
            updated_at=now,
        )
        if not changed:
            raise post_conflict(post=Post.objects.get(pk=post_id))
        current.version, current.updated_at = version + 1, now
        revision_record(post=current, by=by, kind=kind)
        post_record_slug_change(post=current, old_slug=old_slug)
        post_search_index(post=current)
        BodyImage.objects.filter(post__isnull=True, file__in=body_image_names(current.body)).update(
            post=current
        )
        if kind != PostRevision.Kind.AUTOSAVE:  # an autosave is not an edit the world sees
            signals.post_changed_send(post=current, before=before)
        if current.published_at != before["published_at"] or current.status != before["status"]:
            posts_related_changed(post_ids=[current.pk])
        _pieces_touch(current, before)
    pagecache.bump()
    return current


def revision_record(*, post: Post, by: Any, kind: str) -> PostRevision:
    """Keep the post's words as a revision (an autosave may update the last one)."""
    user = by if getattr(by, "pk", None) else None
    now = timezone.now()
    words = {name: getattr(post, name) for name in DRAFT_FIELDS}
    if kind == PostRevision.Kind.AUTOSAVE:
        latest = post.revisions.order_by("-updated_at", "-id").first()
        if (
            latest is not None
            and latest.kind == PostRevision.Kind.AUTOSAVE
            and latest.author_id == getattr(user, "pk", None)
            and (now - latest.created_at).total_seconds() < REVISION_MERGE_SECONDS
        ):
            PostRevision.objects.filter(pk=latest.pk).update(
                **words, version=post.version, updated_at=now
            )
            latest.refresh_from_db()
            return latest
    return PostRevision.objects.create(
        post=post, version=post.version, kind=kind, author=user, created_at=now,
        updated_at=now, **words,
    )  # fmt: skip


def post_create_draft(*, by: Any, title: str = "") -> Post:
    """A new, empty draft with ``by`` as its author and a slug nobody else has."""
    title = title.strip() or "Untitled"
    base = slugify(title)[:180] or "untitled"
    slug = base
    while Post.objects.filter(slug=slug).exists() or slug in RESERVED_SLUGS:
        slug = f"{base}-{secrets.token_hex(3)}"
    with transaction.atomic():
        post = Post.objects.create(title=title, slug=slug, status=Post.Status.DRAFT)
        post.authors.add(by)
        revision_record(post=post, by=by, kind=PostRevision.Kind.SAVE)
    post_search_index(post=post)
    return post


def revision_restore(*, revision: PostRevision, version: int, by: Any) -> Post:
    """Put a revision's words back as a new save (the text replaced is itself a revision)."""
    fields = {name: getattr(revision, name) for name in DRAFT_FIELDS}
    return post_save_draft(
        post_id=revision.post_id, version=version, by=by, fields=fields,
        kind=PostRevision.Kind.RESTORE,
    )  # fmt: skip


def post_publish_state(
    *,
    post: Post,
    by: Any,
    action: str,
    when: datetime | None = None,
    featured: bool | None = None,
    visibility: str | None = None,
) -> Post:
    """Publish now, schedule for ``when``, or unpublish (back to draft).

    Raises ``MastheadError`` for a schedule without a future time. The caller checks the
    role (``roles.can_publish``).
    """
    now = timezone.now()
    before = signals.post_snapshot(post)
    if action == "publish":
        post.status = Post.Status.PUBLISHED
        if post.published_at is None or post.published_at > now:
            post.published_at = now
    elif action == "schedule":
        if when is None or when <= now:
            raise MastheadError(
                "bad_schedule", "Pick a publish time in the future to schedule the post.",
                status=400,
            )  # fmt: skip
        post.status, post.published_at = Post.Status.SCHEDULED, when
    elif action == "unpublish":
        post.status = Post.Status.DRAFT
    elif action != "update":
        raise MastheadError("bad_action", f"Unknown action “{action}”.", status=400)
    if featured is not None:
        post.featured = featured
    if visibility is not None:
        post.visibility = visibility
    with transaction.atomic():
        post.version += 1
        post.save(
            update_fields=["status", "published_at", "featured", "visibility", "version",
                           "updated_at"]
        )  # fmt: skip
        if action in ("publish", "schedule"):
            revision_record(post=post, by=by, kind=PostRevision.Kind.PUBLISH)
        post_search_index(post=post)
        signals.post_changed_send(post=post, before=before)
        if post.published_at != before["published_at"] or post.status != before["status"]:
            posts_related_changed(post_ids=[post.pk])
        _pieces_touch(post, before)
    pagecache.bump()
    return post


def preview_link_create(*, post: Post, by: Any, days: int | None = None) -> PreviewLink:
    """A new secret preview address for ``post`` (256 random bits in the URL)."""
    days = settings.MASTHEAD_PREVIEW_LINK_DAYS if days is None else days
    now = timezone.now()
    return PreviewLink.objects.create(
        post=post,
        token=secrets.token_urlsafe(32),
        created_by=by if getattr(by, "pk", None) else None,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )


def preview_link_revoke(*, link: PreviewLink) -> None:
    if link.revoked_at is None:
        PreviewLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())


# --- body images -------------------------------------------------------------------------

BODY_IMAGE_KINDS = ("png", "jpeg", "webp", "gif")
_BODY_IMAGE_PREFIX = "blog/body/"


def _image_checked(data: bytes) -> str:
    """The format of an image for a post (body or hero), after the OCR upload's checks:
    size, format by content, pixels from the header before decoding. Raises
    ``ocr.OcrError`` or ``MastheadError`` (415 for a file that is not one of the kinds)."""
    limits = ocr.Limits(
        max_bytes=settings.MASTHEAD_BODY_IMAGE_MAX_BYTES,
        max_pixels=settings.MASTHEAD_BODY_IMAGE_MAX_PIXELS,
        max_pages=1,
    )
    ocr.check_upload_size(len(data), limits)
    try:
        kind = ocr.sniff(data)
    except ocr.UnsupportedFormatError:
        kind = ""  # the OCR tool's message names formats a post does not take
    if kind not in BODY_IMAGE_KINDS:
        raise MastheadError(
            "unsupported_type",
            "Use a PNG, JPEG, WebP or GIF image in a post (this file is not one).",
            status=415,
        )
    ocr.count_pages(data, limits)  # pixels from the header, then a bounded decode
    return kind


def _renditions(data: bytes, *, stem: str) -> list[dict[str, str | int]]:
    """``images.make_renditions``, with a file that only fails when decoded (cut short,
    damaged after its header) refused as the OCR tool refuses it: 422 ``corrupt_image``."""
    try:
        return images.make_renditions(data, stem=stem)
    except images.HeroImageError as error:
        cause = str(error.__cause__ or "")
        detail = "the file ends early" if "truncated" in cause else "it cannot be decoded"
        raise ocr.CorruptImageError(detail) from error


def body_image_create(*, data: bytes, filename: str, by: Any, post: Post | None) -> BodyImage:
    """Check, store and size an image for a post body; nothing is kept if any step fails.

    The checks are the OCR upload's (``_image_checked``). Raises ``ocr.OcrError`` or
    ``MastheadError``.
    """
    kind = _image_checked(data)
    stem = slugify(PurePosixPath(filename).stem)[:40] or "image"
    digest = hashlib.sha256(data).hexdigest()[:12]
    renditions = _renditions(data, stem=f"{stem}-{digest}")  # decodes: a cut-off file fails
    width, height = images.upright_size(data)
    ext = "jpg" if kind == "jpeg" else kind
    try:
        with transaction.atomic():
            image = BodyImage(post=post, renditions=renditions, width=width, height=height,
                              uploaded_by=by if getattr(by, "pk", None) else None)  # fmt: skip
            image.file.save(f"{stem}-{digest}.{ext}", ContentFile(data), save=False)
            image.save()
    except Exception:
        images.delete_renditions(renditions)
        raise
    return image


HERO_FIELDS = (
    "hero_image", "hero_width", "hero_height", "hero_alt", "hero_caption", "hero_renditions",
    "reading_time",
)  # fmt: skip


def post_hero_set(
    *, post: Post, data: bytes | None, filename: str = "", alt: str, caption: str
) -> Post:
    """Set a post's hero image (``data``; None keeps the current one) with its alt text and
    caption, as the admin does: renditions made, size read upright, reading time counting
    it. The same checks and limits as body images; nothing is stored when one fails.

    The post's ``version`` is untouched: the hero is not part of the words an autosave
    checks, so a writer mid-sentence does not meet a conflict for it.
    """
    post.hero_alt, post.hero_caption = alt, caption
    stored = ""
    if data is not None:
        kind = _image_checked(data)
        stem = slugify(PurePosixPath(filename).stem)[:40] or "hero"
        digest = hashlib.sha256(data).hexdigest()[:12]
        renditions = _renditions(data, stem=f"{stem}-{digest}")
        ext = "jpg" if kind == "jpeg" else kind
        try:
            post.hero_image.save(f"{stem}-{digest}.{ext}", ContentFile(data), save=False)
            stored = post.hero_image.name or ""
            post.hero_width, post.hero_height = images.upright_size(data)
            post.hero_renditions = renditions
        except Exception:
            images.delete_renditions(renditions)
            raise
    return _hero_write(post=post, stored=stored)


def post_hero_remove(*, post: Post) -> Post:
    """Take the hero image off a post. Its files stay: a revision, another post (the demo's
    copies) or a sent newsletter may still point at them."""
    post.hero_image = None
    post.hero_width = post.hero_height = None
    post.hero_alt = post.hero_caption = ""
    post.hero_renditions = []
    return _hero_write(post=post, stored="")


def _hero_write(*, post: Post, stored: str) -> Post:
    """One UPDATE of the hero fields and the reading time; a file stored for it is removed
    again if the write fails."""
    _render_into(post)  # reading time counts the hero
    try:
        with transaction.atomic():
            Post.objects.filter(pk=post.pk).update(
                **{name: getattr(post, name) for name in HERO_FIELDS}, updated_at=timezone.now()
            )
            _pieces_touch(post)
    except Exception:
        if stored:
            default_storage.delete(stored)
            images.delete_renditions(post.hero_renditions)
        raise
    pagecache.bump()
    return post


_BODY_IMG = re.compile(
    r'<img src="(?P<src>[^"]*/' + re.escape(_BODY_IMAGE_PREFIX) + r'[^"]+)" alt="(?P<alt>[^"]*)"'
    r'(?: title="(?P<title>[^"]*)")?>'
)
_BODY_IMG_MD = re.compile(r"\]\((/[^)\s]*/" + re.escape(_BODY_IMAGE_PREFIX) + r"[^)\s]+)")


def body_image_names(body: str) -> list[str]:
    """Storage names of the body images a Markdown body uses."""
    prefix = default_storage.url(_BODY_IMAGE_PREFIX)
    names = []
    for url in _BODY_IMG_MD.findall(body):
        if url.startswith(prefix):
            names.append(_BODY_IMAGE_PREFIX + url[len(prefix) :])
    return names


def body_images_place(*, html: str) -> str:
    """Swap each uploaded body image's ``<img>`` for a ``<picture>`` with its renditions,
    width and height (so nothing shifts as it loads) and lazy loading below the first."""
    matches = list(_BODY_IMG.finditer(html))
    if not matches:
        return html
    prefix = default_storage.url(_BODY_IMAGE_PREFIX)
    wanted = {
        _BODY_IMAGE_PREFIX + m["src"][len(prefix) :]: m
        for m in matches
        if m["src"].startswith(prefix)
    }
    found = {img.file.name: img for img in BodyImage.objects.filter(file__in=list(wanted))}
    out, last = [], 0
    for index, match in enumerate(matches):
        name = (
            _BODY_IMAGE_PREFIX + match["src"][len(prefix) :]
            if match["src"].startswith(prefix)
            else ""
        )
        image = found.get(name)
        if image is None:
            continue
        out.append(html[last : match.start()])
        out.append(_picture(image, match, eager=index == 0))
        last = match.end()
    out.append(html[last:])
    return "".join(out)


def _picture(image: BodyImage, match: re.Match[str], *, eager: bool) -> str:
    sources = "".join(
        f'<source type="{kind}" srcset="{escape(images.srcset(image.renditions, kind))}" '
        f'sizes="(min-width: 46rem) 46rem, 100vw">'
        for kind in ("image/avif", "image/webp")
        if images.srcset(image.renditions, kind)
    )
    loading = "eager" if eager else "lazy"
    title = f' title="{match["title"]}"' if match["title"] else ""
    return (
        f'<picture>{sources}<img src="{match["src"]}" alt="{match["alt"]}"{title} '
        f'width="{image.width}" height="{image.height}" loading="{loading}" decoding="async">'
        "</picture>"
    )


def tag_create(*, name: str) -> Tag:
    base = slugify(name)[:70] or "tag"
    slug = base
    while Tag.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    tag = Tag.objects.create(name=name[:80], slug=slug)
    pagecache.bump()
    return tag
