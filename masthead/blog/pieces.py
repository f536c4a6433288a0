"""A post page's pieces, kept beside the post and built ahead of its readers (ADR 0025).

The pieces of most pages are keyed on the content version, which every edit moves, and
live in the bounded page store. A post's article and head are kept here instead, in
``PostPiece`` rows, under a stamp of what they show: the post's ``pieces_version``,
which ``touch`` raises whenever something its page shows changes (its own edits, its
tags, its authors, the cards of the posts it shows, its comment count), the site-wide
version (``pagecache.bump(site_wide=True)``: the publication's settings, an import), and
the code and settings the pieces were built with. An edit of one post leaves the other
posts' pieces in place, and there is a row for every post.

After each change the worker builds the pieces of the posts touched (after a site-wide
change, of every live post), rendering each page for a visitor and for a member, so that
a reader who comes first finds them built: the post page's cost does not grow with the
number of posts nobody has read since the last edit.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
from collections.abc import Iterable, Iterator
from itertools import batched
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIRequest
from django.db import DatabaseError, transaction
from django.db.models import F
from django.http.request import validate_host
from django.urls import resolve
from django.utils import timezone

import masthead
from masthead.blog.models import Post, PostPiece
from masthead.core import pagecache

log = logging.getLogger(__name__)

# Settings a post page shows (absolute and static addresses, the zone its dates are in,
# the tool card's limits): a restart with other values rebuilds the pieces.
PIECE_SETTINGS = (
    "SITE_URL",
    "TIME_ZONE",
    "USE_TZ",
    "STATIC_URL",
    "MEDIA_URL",
    "MASTHEAD_OCR_SYNC_MAX_BYTES",
    "MASTHEAD_OCR_BATCH_MAX_FILES",
)
BATCH = 500  # ids per query and posts per build task
CLEAR_EVERY = 100  # posts rendered between two clears of the building process's copies


@functools.cache
def code_stamp() -> str:
    """The code, templates, static files and settings the pieces are built with.

    Files count by name, size and modification time (reading 400 files costs more than
    a stamp is worth). The web processes and the worker run the same files with the same
    settings, so the worker's pieces are the ones the web reads.
    """
    root = Path(masthead.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            info = path.stat()
            digest.update(f"{path.relative_to(root)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    for name in PIECE_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, None)!r}\n".encode())
    return digest.hexdigest()


def _name(parts: tuple[str, ...]) -> str:
    return ":".join(parts)[:100]


class PostShelf:
    """The shelf of one post's page (``{% fragment ... beside pieces %}``)."""

    def __init__(self, post: Post) -> None:
        self._post = post
        self._kept: dict[str, tuple[str, str]] | None = None  # name: (stamp, html)

    def stamp(self, parts: tuple[str, ...]) -> str:
        post = self._post
        raw = "|".join(
            (
                *parts,
                str(post.pk),
                str(post.pieces_version),
                post.updated_at.isoformat(),  # a save that forgot to touch still counts
                str(pagecache.site_version()),
                code_stamp(),
            )
        )
        return hashlib.sha256(raw.encode()).hexdigest()

    def load(self, parts: tuple[str, ...], stamp: str) -> str | None:
        if self._kept is None:  # a page asks for two pieces: one read brings all of them
            rows = PostPiece.objects.filter(post_id=self._post.pk)
            self._kept = {
                name: (kept, html) for name, kept, html in rows.values_list("name", "stamp", "html")
            }
        kept_stamp, html = self._kept.get(_name(parts), ("", ""))
        return html if kept_stamp == stamp else None

    def save(self, parts: tuple[str, ...], stamp: str, html: str) -> None:
        name, built_at = _name(parts), timezone.now()
        row = PostPiece(post_id=self._post.pk, name=name, stamp=stamp, html=html, built_at=built_at)
        try:
            with transaction.atomic():
                PostPiece.objects.bulk_create(
                    [row],
                    update_conflicts=True,
                    unique_fields=["post", "name"],
                    update_fields=["stamp", "html", "built_at"],
                )
        except DatabaseError as exc:  # the page is served all the same; a reader builds it again
            log.warning("piece %s of post %s not kept: %s", row.name, row.post_id, exc)


def touch(post_ids: Iterable[int], *, showing: bool = True) -> None:
    """Something the pages of ``post_ids`` show changed: their kept pieces no longer
    count, nor (with ``showing``) those of the posts that show them in related cards.

    Call inside the write's transaction; the worker builds the pieces again after the
    commit (if the broker is down, the first reader of each page builds them).
    """
    ids = set(post_ids)
    if showing and ids:
        ids |= posts_showing(ids)
    if not ids:
        return
    from masthead.blog import tasks  # tasks import this module

    for chunk in batched(sorted(ids), BATCH, strict=False):
        Post.objects.filter(pk__in=chunk).update(pieces_version=F("pieces_version") + 1)
        undone = f"pieces of posts {list(chunk[:5])}... not built ahead"
        tasks.delay_after_commit(tasks.post_pieces_build, list(chunk), undone=undone)


def posts_showing(post_ids: Iterable[int]) -> set[int]:
    """The posts whose related cards may show one of ``post_ids``: those whose ranking
    names it, spares included (a spare is shown when a card's post goes)."""
    wanted = set(post_ids)
    rows = Post.objects.values_list("pk", "related_ids").iterator(chunk_size=2000)
    return {pk for pk, related in rows if wanted.intersection(related or ())}


def posts_of(*, tag_ids: Iterable[int] = (), user_ids: Iterable[int] = ()) -> set[int]:
    """The posts that carry one of ``tag_ids`` or name one of ``user_ids`` as an author."""
    found = set(Post.objects.filter(tags__in=list(tag_ids)).values_list("pk", flat=True))
    return found | set(Post.objects.filter(authors__in=list(user_ids)).values_list("pk", flat=True))


def author_leaving(*, instance: Any, **_: object) -> None:
    """``pre_delete`` receiver for users: the posts naming a deleted account as an author
    lose its byline and author box (the link rows and the profile go by CASCADE, which no
    save of the post marks), and so do the cards showing those posts."""
    ids = posts_of(user_ids=[instance.pk])
    if ids:
        touch(ids)
        transaction.on_commit(pagecache.bump)  # the lists show bylines too


def site_changed(**_: object) -> None:
    """``pagecache.site_changed`` receiver: build every live post's pieces again."""
    from masthead.blog import tasks

    undone = "pieces of every post not built ahead"
    tasks.delay_after_commit(tasks.post_pieces_build_all, pagecache.site_version(), undone=undone)


def build(post_ids: Iterable[int]) -> int:
    """Render the page of each live post among ``post_ids`` for a visitor and for a
    member, which builds and keeps its pieces; the number of posts built."""
    count = 0
    for chunk in batched(sorted(set(post_ids)), CLEAR_EVERY, strict=False):
        slugs = Post.objects.published().filter(pk__in=chunk).values_list("slug", flat=True)
        for slug in slugs:
            path = Post(slug=slug).get_absolute_url()
            _render(path, AnonymousUser())
            _render(path, _AnyMember())
            count += 1
        # The rows and pieces kept in this process while rendering serve a web process's
        # readers, not the worker: kept, a build of 5,000 posts left it 120 MB larger.
        pagecache.clear_local()
    return count


def build_all(site_version: int | None = None) -> int:
    """``build`` for every live post, newest first. Given the ``site_version`` it was
    asked for, it stops when that moves on: a newer request will build them all."""
    count = 0
    for chunk in _live_ids():
        if site_version is not None and pagecache.site_version() != site_version:
            log.info("post pieces: site changed again after %s pages; stopped", count)
            break
        count += build(chunk)
    return count


def _live_ids() -> Iterator[list[int]]:
    ids = Post.objects.published().order_by("-published_at", "-pk").values_list("pk", flat=True)
    for chunk in batched(ids.iterator(chunk_size=BATCH), BATCH, strict=False):
        yield list(chunk)


class _AnyMember(AnonymousUser):
    """A signed-in reader with no name: a page's pieces may depend on the reader only
    through ``is_authenticated`` (core.pagecache), so this builds the members' variant."""

    @property
    def is_anonymous(self) -> bool:  # type: ignore[override]
        return False

    @property
    def is_authenticated(self) -> bool:  # type: ignore[override]
        return True


def _render(path: str, user: AnonymousUser) -> None:
    """Render the page at ``path`` for ``user`` (its view, without the middleware: no
    session, cookie or response header matters to a piece). Pages name their addresses
    from ``SITE_URL``, never from the request's host."""
    site = urlsplit(settings.SITE_URL)
    secure = site.scheme == "https"
    host = _allowed_host(site.hostname or "")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443" if secure else "80",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": io.BytesIO(),
        pagecache.AHEAD_OF_READERS: True,  # rendered fresh: no page kept in the page store
    }
    request = WSGIRequest(environ)
    request.user = user
    request._csp_nonce = "ahead"  # type: ignore[attr-defined]  # the pieces hold a slot
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        log.warning("post pieces: %s answered %s", path, response.status_code)


def _allowed_host(preferred: str) -> str:
    """``SITE_URL``'s host if ``ALLOWED_HOSTS`` accepts it, else the first name it lists."""
    allowed = settings.ALLOWED_HOSTS
    if preferred and validate_host(preferred, allowed):
        return preferred
    named = [h.lstrip(".") for h in allowed if h != "*" and not h.startswith("[")]
    return named[0] if named else "localhost"
