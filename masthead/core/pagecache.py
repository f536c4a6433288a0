"""A page cache for public pages that stays correct with CSRF forms and CSP nonces.

Django's cache middleware cannot serve these pages: each has a per-request CSP nonce on its
script tags and a CSRF token in the footer's newsletter form, so a cached copy would carry
another visitor's values (scripts blocked, form rejected). Here the page is rendered once
with two placeholders instead, cached, and every response (hit or miss) gets the current
request's nonce and token swapped in. Only anonymous requests without a session or a
pending flash message are served from the cache; signed-in readers always get a fresh page.

Invalidation: entries live ``MASTHEAD_PAGE_CACHE_SECONDS``; any content change calls
``bump()``, which moves every key to a new version at once.

Two tiers: a small per-process LRU in front of Django's shared cache, so a hit costs no
I/O. Each process re-reads the shared version at most once a second, so another process's
``bump()`` shows here within a second; the process that bumps sees it at once.

The cache only saves work, so it never fails a page: when the shared store cannot be
reached, pages are rendered uncached (``X-Page-Cache: off``) and this process leaves the
store alone for ``SHARED_RETRY_SECONDS`` (a store that times out must not slow every
page). Per-user responses never enter it: only requests without a session cookie or an
``Authorization`` header are cached, and a response marked ``private`` or ``no-store`` is
not stored. An error page raised inside a cached view is rendered after the wrapper has
stopped rendering with placeholders, so it carries this request's real nonce.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

from masthead.core.stores import store_errors

log = logging.getLogger(__name__)

NONCE_SLOT = "masthead-nonce-slot-7f3c"
CSRF_SLOT = "masthead-csrf-slot-7f3c"
VERSION_KEY = "pagecache:version"
_SLOTS_ATTR = "page_cache_slots"

VERSION_RECHECK_SECONDS = 1.0
SHARED_RETRY_SECONDS = 5.0
LOCAL_ENTRIES = 256

View = Callable[..., HttpResponse]
Entry = tuple[str, bytes]  # content type, body with slots


class _LocalPages:
    """A thread-safe LRU with expiry: the per-process first tier."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[str, tuple[float, Entry]] = OrderedDict()
        self._lock = threading.Lock()
        self.version: tuple[float, int] = (0.0, 1)  # (checked at, version)
        self.shared_down_until = 0.0  # monotonic time before which the store is skipped

    def get(self, key: str) -> Entry | None:
        with self._lock:
            item = self._data.get(key)
            if item is None or item[0] < time.monotonic():
                return None
            self._data.move_to_end(key)
            return item[1]

    def set(self, key: str, entry: Entry, ttl: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, entry)
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.version = (0.0, 1)
            self.shared_down_until = 0.0


_local = _LocalPages(LOCAL_ENTRIES)


def clear_local() -> None:
    """Forget this process's copies (tests; the shared tier is Django's cache)."""
    _local.clear()


def bump() -> None:
    """Invalidate every cached page (call after any content change)."""
    try:
        try:
            version = cache.incr(VERSION_KEY)
        except ValueError:
            version = 2
            cache.set(VERSION_KEY, version, timeout=None)
    except store_errors() as exc:
        # The change is saved; the shared store holds no pages while it is down, and this
        # process forgets its own copies. Other processes' copies age out (PAGE_CACHE_SECONDS).
        _local.clear()
        _store_failed(exc)
        return
    _local.version = (time.monotonic(), int(version))


def _store_failed(exc: Exception) -> None:
    log.warning("page cache store unavailable, serving uncached pages: %s", exc)
    _local.shared_down_until = time.monotonic() + SHARED_RETRY_SECONDS


def _version() -> int:
    checked, version = _local.version
    if time.monotonic() - checked > VERSION_RECHECK_SECONDS:
        version = int(cache.get(VERSION_KEY, 1))
        _local.version = (time.monotonic(), version)
    return version


def version() -> int:
    """The current content version (other caches of public content key on it)."""
    return _version()


def rendering_with_slots(request: HttpRequest) -> bool:
    """True while a page is being rendered for the cache (the context processor asks)."""
    return bool(getattr(request, _SLOTS_ATTR, False))


def _cacheable(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _storable(response: HttpResponse) -> bool:
    """A complete, shared-safe page: 200, no cookie set, not marked private or no-store."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return not directives & {"private", "no-store", "no-cache"}


def _key(request: HttpRequest) -> str:
    # Cached views read only ?page=; ignoring other parameters (utm_..., cache busters)
    # keeps one entry per page instead of one per link variant.
    variant = f"{request.path}?page={request.GET.get('page', '')}"
    path = hashlib.sha256(variant.encode()).hexdigest()
    return f"pagecache:{_version()}:{path}"


def _lookup(key: str) -> Entry | None:
    entry = _local.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            _local.set(key, entry, settings.PAGE_CACHE_SECONDS)
    return entry


def _fill(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    content = response.content
    if NONCE_SLOT.encode() in content:
        content = content.replace(NONCE_SLOT.encode(), str(get_nonce(request)).encode())
    if CSRF_SLOT.encode() in content:
        content = content.replace(CSRF_SLOT.encode(), get_token(request).encode())
    response.content = content
    return response


def public_page(view: View) -> View:
    """Serve ``view`` from the page cache for anonymous GETs (see module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        if time.monotonic() < _local.shared_down_until:
            return _uncached(view(request, *args, **kwargs))
        try:
            key = _key(request)
            cached = _lookup(key)
        except store_errors() as exc:
            _store_failed(exc)
            return _uncached(view(request, *args, **kwargs))
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
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
    except store_errors() as exc:
        _store_failed(exc)
        return
    _local.set(key, entry, settings.PAGE_CACHE_SECONDS)


def _uncached(response: HttpResponse) -> HttpResponse:
    response["X-Page-Cache"] = "off"
    return response
