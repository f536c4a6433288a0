"""Writes for the blog: rendering, publishing, slug history, renditions and the search index.

The admin's ``save_model`` and the demo loader call these; ``Post.save()`` stays plain so a
bulk update or a fixture never re-renders behind the editor's back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from django.db import connection, transaction
from django.utils import timezone

from masthead.blog import images, markdown
from masthead.blog.models import Post, PostTag, SlugRedirect, Tag
from masthead.core import pagecache


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
        PostTag.objects.filter(post=post).delete()
        PostTag.objects.bulk_create(
            PostTag(post=post, tag=tag, position=i) for i, tag in enumerate(tags)
        )
    pagecache.bump()


def posts_set_status(*, posts: Iterable[Post], status: str) -> int:
    """Bulk publish / unpublish; publishing keeps an existing publish time."""
    count = 0
    now = timezone.now()
    with transaction.atomic():
        for post in posts:
            post.status = status
            if status == Post.Status.PUBLISHED and post.published_at is None:
                post.published_at = now
            post.save(update_fields=["status", "published_at", "updated_at"])
            count += 1
    pagecache.bump()
    return count


def posts_set_featured(*, posts: Iterable[Post], featured: bool) -> int:
    ids = [post.pk for post in posts]
    count = Post.objects.filter(pk__in=ids).update(featured=featured)
    pagecache.bump()
    return count


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
