"""A page cache for public pages that stays correct with CSRF forms and CSP nonces.

Django's cache middleware cannot serve these pages: each has a per-request CSP nonce on its
script tags and a CSRF token in the footer's newsletter form, so a cached copy would carry
another visitor's values (scripts blocked, form rejected). Here the page is rendered once
with two placeholders instead, cached, and every response (hit or miss) gets the current
request's nonce and token swapped in. Only anonymous requests without a session or a
pending flash message are served from the cache; signed-in readers always get a fresh page.

Invalidation: entries live ``MASTHEAD_PAGE_CACHE_SECONDS``; any content change calls
``bump()``, which moves every key to a new version at once.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token

NONCE_SLOT = "masthead-nonce-slot-7f3c"
CSRF_SLOT = "masthead-csrf-slot-7f3c"
VERSION_KEY = "pagecache:version"
_SLOTS_ATTR = "page_cache_slots"

View = Callable[..., HttpResponse]


def bump() -> None:
    """Invalidate every cached page (call after any content change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def rendering_with_slots(request: HttpRequest) -> bool:
    """True while a page is being rendered for the cache (the context processor asks)."""
    return bool(getattr(request, _SLOTS_ATTR, False))


def _cacheable(request: HttpRequest) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in {"GET", "HEAD"}:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    version = cache.get(VERSION_KEY, 1)
    return f"pagecache:{version}:{path}"


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
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content_type, body = cached
            response = HttpResponse(body, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return _fill(request, response)
        setattr(request, _SLOTS_ATTR, True)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(
                key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS
            )
            response["X-Page-Cache"] = "miss"
        return _fill(request, response)

    return wrapper
