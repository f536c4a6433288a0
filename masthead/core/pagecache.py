"""A page cache for public pages that stays correct with CSRF forms and CSP nonces.

Django's cache middleware cannot serve these pages: each has a per-request CSP nonce on its
script tags and a CSRF token in the tool card's form, so a cached copy would carry another
visitor's values (scripts blocked, form rejected). Here the page is rendered once with two
placeholders instead, cached, and every response (hit or miss) gets the current request's
nonce and token swapped in.

Audiences (ADR 0023): a public page differs between readers only by whether they are
signed in (the header's account link, members-only bodies). So a page is cached once per
*audience*, "visitor" or "member", and every reader of that audience shares it; their own
parts are the nonce and the CSRF token. A visitor who has a session (after using the OCR
tool) is still a visitor. A pending flash message, an ``Authorization`` header or a
response marked ``private``/``no-store`` skips the cache. Templates of cached pages may
therefore depend on the reader only through ``user.is_authenticated``.

Keys: the path, plus ``?page=N`` for the views that paginate (declared with
``public_page(paginated=True)``); every other parameter is ignored, so link variants share
one entry, and a page number beyond the last is a 404, never an entry.

Invalidation: entries live ``MASTHEAD_PAGE_CACHE_SECONDS``; any content change calls
``bump()``, which moves every key to a new version at once. The version lives in the
``default`` store without expiry (a version that expired would bring back the keys of
pages from before an edit); the pages live in the ``pages`` store (ADR 0022), whose
eviction can never reach a rate-limit counter.

Two tiers: a per-process LRU bounded by bytes in front of the shared ``pages`` store, so a
hit costs no I/O. Each process re-reads the shared version at most once a second, so
another process's ``bump()`` shows here within a second; the process that bumps sees it
at once. A page over ``MASTHEAD_PAGE_CACHE_ENTRY_BYTES`` is served but never stored.

The cache only saves work, so it never fails a page: when a store cannot be reached,
pages are rendered uncached (``X-Page-Cache: off``) and this process leaves the stores
alone for ``SHARED_RETRY_SECONDS`` (a store that times out must not slow every page). An
error page raised inside a cached view is rendered after the wrapper has stopped
rendering with placeholders, so it carries this request's real nonce.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import logging
import math
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, cast, overload

from django.conf import settings
from django.core.cache import cache, caches
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.utils.html import escape

from masthead.core import csrf
from masthead.core.compression import mark_compressible
from masthead.core.stores import store_errors

log = logging.getLogger(__name__)

NONCE_SLOT = "masthead-nonce-slot-7f3c"
CSRF_SLOT = "masthead-csrf-slot-7f3c"
PATH_SLOT = "masthead-path-slot-7f3c"  # the page's own path (a form's "back to this page")
VERSION_KEY = "pagecache:version"
SITE_VERSION_KEY = "pagecache:site-version"  # moved only by changes that reach every page
_SLOTS_ATTR = "page_cache_slots"
_FILLS_ATTR = "page_cache_fills"  # set while a public_page view runs: its wrapper fills slots
VISITOR, MEMBER = "visitor", "member"
# In the environ of a page rendered by the worker to build its pieces ahead of readers
# (no client can set it: theirs arrive as HTTP_*); such a page is never stored.
AHEAD_OF_READERS = "masthead.ahead_of_readers"

# Sent after ``bump(site_wide=True)``: apps that keep pieces beside their objects rebuild.
site_changed = Signal()

VERSION_RECHECK_SECONDS = 1.0
MEMO_ENTRIES = 2048  # objects kept by memo() per process (a tag, author or post, the settings)
_MISSING = object()
SHARED_RETRY_SECONDS = 5.0

View = Callable[..., HttpResponse]
Entry = tuple[str, bytes]  # content type, body with slots


class _LocalPages:
    """A thread-safe LRU with expiry, bounded by the bytes it holds: the first tier."""

    def __init__(self) -> None:
        self._data: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
        self._memo: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.version: tuple[float, int] = (-math.inf, 0)  # (checked at, version): never
        self.site_version: tuple[float, int] = (-math.inf, 0)
        self.shared_down_until = 0.0  # monotonic time before which the store is skipped

    @property
    def size(self) -> int:
        """Bytes held (page bodies)."""
        return self._bytes

    @staticmethod
    def _live[K, V](table: OrderedDict[K, tuple[float, V]], key: K) -> tuple[float, V] | None:
        """``key``'s unexpired item, marked as just used (call with the lock held)."""
        item = table.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        table.move_to_end(key)
        return item

    def get(self, key: str) -> Entry | None:
        with self._lock:
            item = self._live(self._data, key)
            return None if item is None else item[1]

    def set(self, key: str, entry: Entry, ttl: float) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1][1])
            if len(entry[1]) > limit:
                return
            self._data[key] = (time.monotonic() + ttl, entry)
            self._bytes += len(entry[1])
            while self._bytes > limit:
                _, (_, (_, body)) = self._data.popitem(last=False)
                self._bytes -= len(body)

    def memo_get(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            item = self._live(self._memo, key)
            return _MISSING if item is None else item[1]

    def memo_set(self, key: tuple[Any, ...], value: Any, ttl: float) -> None:
        with self._lock:
            self._memo[key] = (time.monotonic() + ttl, value)
            self._memo.move_to_end(key)
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._memo.clear()
            self._bytes = 0
            self.version = (-math.inf, 0)
            self.site_version = (-math.inf, 0)
            self.shared_down_until = 0.0


_local = _LocalPages()


def clear_local() -> None:
    """Forget this process's copies (tests, and a process that renders many pages for
    nobody to read here: the worker building pieces; the shared tier is the ``pages``
    store)."""
    _local.clear()


def local_bytes() -> int:
    """Bytes of pages this process holds (tests and benchmarks)."""
    return _local.size


def bump(*, site_wide: bool = False) -> None:
    """Invalidate every cached page (call after any content change).

    ``site_wide``: the change reaches every page, pieces kept beside their object included
    (the publication's name or design, an import); a change that reaches only some posts
    calls ``bump()`` and touches those posts' own pieces (``blog.pieces.touch``).

    The new version is the clock in nanoseconds, never less than the old one plus one: it
    is stored without expiry, and should the key be lost anyway (a flushed store), the
    next version still cannot repeat one that keys older pages.
    """
    try:
        version = _advance(VERSION_KEY)
        if site_wide:
            _local.site_version = (time.monotonic(), _advance(SITE_VERSION_KEY))
    except store_errors() as exc:
        # The change is saved; the shared store holds no pages while it is down, and this
        # process forgets its own copies. Other processes' copies age out (PAGE_CACHE_SECONDS).
        _local.clear()
        _store_failed(exc)
        return
    _local.version = (time.monotonic(), version)
    if site_wide:
        site_changed.send(sender=None)


def _advance(key: str) -> int:
    version = max(time.time_ns(), int(cache.get(key, 0)) + 1)
    cache.set(key, version, timeout=None)
    return version


def _store_failed(exc: Exception) -> None:
    log.warning("page cache store unavailable, serving uncached pages: %s", exc)
    _local.shared_down_until = time.monotonic() + SHARED_RETRY_SECONDS


def _read_version(key: str, kept: tuple[float, int]) -> tuple[float, int]:
    """``kept`` if it was checked in the last second, else the shared value."""
    if time.monotonic() - kept[0] <= VERSION_RECHECK_SECONDS:
        return kept
    found = cache.get(key)
    if found is None:
        # First use (or a flushed store): start from the clock, without expiry; add()
        # keeps a version another process set meanwhile.
        cache.add(key, time.time_ns(), timeout=None)
        found = cache.get(key, 0)
    return (time.monotonic(), int(found))


def _version() -> int:
    _local.version = _read_version(VERSION_KEY, _local.version)
    return _local.version[1]


def site_version() -> int:
    """The version moved only by ``bump(site_wide=True)``: pieces kept beside an object
    (``kept_beside``) key on it with their object's own version, so an edit of one post
    leaves every other post's pieces in place."""
    _local.site_version = _read_version(SITE_VERSION_KEY, _local.site_version)
    return _local.site_version[1]


def version() -> int:
    """The current content version (other caches of public content key on it)."""
    return _version()


def rendering_with_slots(request: HttpRequest) -> bool:
    """True while a page is being rendered for the cache (the context processor asks)."""
    return bool(getattr(request, _SLOTS_ATTR, False))


def filled_by_wrapper(request: HttpRequest) -> bool:
    """True while a ``public_page`` view runs: its response's slots are filled on the way
    out. A piece used anywhere else (a page outside the cache, an error page) must be
    filled where it is used (``fill_text``)."""
    return bool(getattr(request, _FILLS_ATTR, False))


def fill_text(request: HttpRequest, text: str) -> str:
    """``text`` with this request's nonce, CSRF token and path in place of the slots."""
    if NONCE_SLOT in text:
        text = text.replace(NONCE_SLOT, str(get_nonce(request)))
    if CSRF_SLOT in text:
        text = text.replace(CSRF_SLOT, csrf.token(request))
    if PATH_SLOT in text:
        text = text.replace(PATH_SLOT, escape(request.path))
    return text


def _audience(request: HttpRequest) -> str | None:
    """Which shared copy this request may get: visitor, member, or None (render it)."""
    if request.method not in {"GET", "HEAD"} or AHEAD_OF_READERS in request.META:
        return None
    if "HTTP_AUTHORIZATION" in request.META or "messages" in request.COOKIES:
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return VISITOR
    session = getattr(request, "session", None)
    if session is None or "_messages" in session:  # flash messages kept in the session
        return None
    user = getattr(request, "user", None)
    return MEMBER if user is not None and user.is_authenticated else VISITOR


def _storable(response: HttpResponse) -> bool:
    """A complete, shared-safe page: 200, no cookie set, not marked private or no-store."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if len(response.content) > settings.PAGE_CACHE_ENTRY_BYTES:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return not directives & {"private", "no-store", "no-cache"}


def _page_number(request: HttpRequest) -> str:
    """``?page=`` as the paginator reads it: "" and "1" are one page, "02" is "2"."""
    raw = request.GET.get("page", "1").strip() or "1"
    return str(int(raw)) if raw.isdigit() else raw[:20]


def _key(request: HttpRequest, audience: str, paginated: bool) -> str:
    # Cached views read only ?page= (and only the paginated ones); ignoring every other
    # parameter (utm_..., cache busters) keeps one entry per page, not one per link variant.
    page = _page_number(request) if paginated else ""
    variant = f"{audience}:{request.path}?page={page}"
    digest = hashlib.sha256(variant.encode()).hexdigest()
    return f"pagecache:{_version()}:{digest}"


def _lookup(key: str) -> Entry | None:
    entry = _local.get(key)
    if entry is None:
        entry = caches["pages"].get(key)
        if entry is not None:
            _local.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry


def _pieces_off() -> bool:
    """Pieces, kept objects and responses are built every time: switched off
    (``MASTHEAD_FRAGMENT_CACHE_SECONDS`` 0), or the store failed a moment ago."""
    return settings.FRAGMENT_CACHE_SECONDS <= 0 or time.monotonic() < _local.shared_down_until


def fragment(parts: tuple[Any, ...], build: Callable[[], str]) -> str:
    """A piece of a page that is the same for every reader, cached until the next bump.

    ``parts`` name the piece (e.g. the template's name, the post's id and whether it is
    locked). ``build`` renders it with the nonce and CSRF slots (``{% fragment %}`` does):
    the ``public_page`` wrapper fills them in for every response, cached or not. The
    pieces share the page store, its tiers and its bounds; when it cannot be reached,
    or ``MASTHEAD_FRAGMENT_CACHE_SECONDS`` is 0, the piece is built every time.
    """
    ttl = settings.FRAGMENT_CACHE_SECONDS
    if _pieces_off():
        return build()
    try:
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()
        key = f"fragment:{_version()}:{digest}"
        found = _local.get(key)
        if found is None:
            found = caches["pages"].get(key)
            if found is not None:
                _local.set(key, found, ttl)
    except store_errors() as exc:
        _store_failed(exc)
        return build()
    if found is not None:
        return found[1].decode()
    html = build()
    body = html.encode()
    if len(body) <= settings.PAGE_CACHE_ENTRY_BYTES:
        try:
            caches["pages"].set(key, ("fragment", body), ttl)
        except store_errors() as exc:
            _store_failed(exc)
            return html
        _local.set(key, ("fragment", body), ttl)
    return html


class Shelf(Protocol):
    """Where the pieces of one object's page are kept, beside the object (a post's in its
    app's table): without expiry or a bound by count, valid while their stamp matches."""

    def stamp(self, parts: tuple[str, ...]) -> str:
        """Everything the piece named by ``parts`` depends on, as one string."""
        ...

    def load(self, parts: tuple[str, ...], stamp: str) -> str | None:
        """The piece kept under ``stamp``, or None."""
        ...

    def save(self, parts: tuple[str, ...], stamp: str, html: str) -> None:
        """Keep ``html`` under ``stamp`` (replacing the piece's older copy)."""
        ...


def kept_beside(shelf: Shelf, parts: tuple[str, ...], build: Callable[[], str]) -> str:
    """A piece kept on ``shelf`` instead of the page store: ``fragment`` keys every piece
    on the content version, which any edit moves, and the page store holds a bounded
    number; a piece on a shelf survives edits of other objects, and there is room for
    every object's pieces, built ahead of readers (ADR 0025).

    This process keeps a copy (the first tier, by the piece's stamp); the same switches
    as ``fragment`` turn it off.
    """
    ttl = settings.FRAGMENT_CACHE_SECONDS
    if _pieces_off():
        return build()
    try:
        stamp = shelf.stamp(parts)
    except store_errors() as exc:
        _store_failed(exc)
        return build()
    key = f"beside:{stamp}"
    found = _local.get(key)
    if found is not None:
        return found[1].decode()
    html = shelf.load(parts, stamp)
    if html is None:
        html = build()
        shelf.save(parts, stamp, html)
    _local.set(key, ("fragment", html.encode()), ttl)
    return html


def memo[T](parts: tuple[Any, ...], build: Callable[[], T]) -> T:
    """An object that is the same for every reader, built once per content version here.

    For what a page looks up before its fragments can be used (a tag or author by its
    slug, the page's meta tags): when kept, no query and no store read at all. Only this
    process's memory holds it, bounded by count (``MEMO_ENTRIES``) and aged like the
    fragments; request threads share it, so callers never change what they get. An
    exception from ``build`` (a 404) is raised, not kept.
    """
    ttl = settings.FRAGMENT_CACHE_SECONDS
    if _pieces_off():
        return build()
    try:
        key = (_version(), *parts)
    except store_errors() as exc:
        _store_failed(exc)
        return build()
    found = _local.memo_get(key)
    if found is _MISSING:
        found = build()
        _local.memo_set(key, found, ttl)
    return cast("T", found)


class _NotKept(Exception):
    """The response may not be shared (not a 200); it is returned, never stored."""


KEPT_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def kept_response(parts: tuple[Any, ...], view: Callable[[], HttpResponse]) -> HttpResponse:
    """A whole response that is the same for every reader (sitemaps, feeds), kept like a
    fragment until the next content change, whether or not the page cache is on.

    Only a 200 is kept, with its ``KEPT_HEADERS``, compressed (the entry limit applies to
    the compressed size); ``parts`` must name it completely (the path, a normalised page
    number), and anything else the view reads makes it a 404.
    """
    made: list[HttpResponse] = []

    def build() -> str:
        response = view()
        render = getattr(response, "render", None)
        if callable(render):  # a TemplateResponse (the sitemap views)
            render()
        made.append(response)
        if response.status_code != 200 or response.streaming:
            raise _NotKept
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        # Compressed: a sitemap of 1,000 posts (~170 KB of XML) fits the entry limit.
        packed = zlib.compress(json.dumps([headers, response.content.decode()]).encode())
        return base64.b64encode(packed).decode("ascii")

    try:
        kept = fragment(("response-zlib", *parts), build)
        headers, body = json.loads(zlib.decompress(base64.b64decode(kept)))
    except _NotKept:
        return made[0]
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return mark_compressible(response)


def _fill(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """``response`` with its slots filled (``fill_text``: one list of slots for both)."""
    charset = response.charset or "utf-8"
    response.content = fill_text(request, response.content.decode(charset)).encode(charset)
    return response


@overload
def public_page(view: View, *, paginated: bool = False) -> View: ...
@overload
def public_page(view: None = None, *, paginated: bool = False) -> Callable[[View], View]: ...
def public_page(view: View | None = None, *, paginated: bool = False) -> Any:
    """Serve ``view`` from the page cache (see module docstring).

    ``paginated=True`` for views that read ``?page=`` (each valid page is its own entry).
    """
    if view is None:
        return functools.partial(public_page, paginated=paginated)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        setattr(request, _FILLS_ATTR, True)
        try:
            return _respond(request, *args, **kwargs)
        finally:  # an error page rendered after this fills its own pieces
            setattr(request, _FILLS_ATTR, False)

    def _respond(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        audience = _audience(request)
        if audience is None:
            # Rendered fresh; its cached fragments still hold slots.
            return _fill(request, view(request, *args, **kwargs))
        # The same page for every reader of the audience: nothing secret to compress (0024).
        if settings.PAGE_CACHE_SECONDS <= 0:
            return mark_compressible(_fill(request, view(request, *args, **kwargs)))
        return mark_compressible(_serve(request, audience, *args, **kwargs))

    def _serve(request: HttpRequest, audience: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if time.monotonic() < _local.shared_down_until:
            return _uncached(_fill(request, view(request, *args, **kwargs)))
        try:
            key = _key(request, audience, paginated)
            cached = _lookup(key)
        except store_errors() as exc:
            _store_failed(exc)
            return _uncached(_fill(request, view(request, *args, **kwargs)))
        if cached is not None:
            content_type, body = cached
            response = HttpResponse(body, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return _fill(request, response)
        response = _render_with_slots(request, view, *args, **kwargs)
        if _storable(response):
            _store(key, (response["Content-Type"], response.content))
            response["X-Page-Cache"] = "miss"
        return _fill(request, response)

    wrapper.page_cache_paginated = paginated  # type: ignore[attr-defined]
    return wrapper


def _render_with_slots(request: HttpRequest, view: View, *args: Any, **kwargs: Any) -> HttpResponse:
    """Render with placeholders; whatever renders after (an error page) gets real values."""
    setattr(request, _SLOTS_ATTR, True)
    try:
        return view(request, *args, **kwargs)
    finally:
        setattr(request, _SLOTS_ATTR, False)


def _store(key: str, entry: Entry) -> None:
    try:
        caches["pages"].set(key, entry, settings.PAGE_CACHE_SECONDS)
    except store_errors() as exc:
        _store_failed(exc)
        return
    _local.set(key, entry, settings.PAGE_CACHE_SECONDS)


def _uncached(response: HttpResponse) -> HttpResponse:
    response["X-Page-Cache"] = "off"
    return response
