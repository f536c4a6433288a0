"""Site-wide response rules: browser features, per-user caching and store outages.

``SiteHeadersMiddleware``
  - ``Permissions-Policy`` on every response: the site uses none of the powerful browser
    features but Web Share (its own pages only), so every page, any frame and any script
    injected into one is denied them.
  - ``Cache-Control: private`` on every response that depends on who asks: the request
    carried a session cookie or an ``Authorization`` header, or the response starts a
    session. Shared caches (a proxy, a CDN) then never keep one reader's page, job or
    download for the next; the page cache skips those requests as well (pagecache.py).
    It is the first middleware, so it also sees WhiteNoise's and the session's answers.

``StoreUnavailableMiddleware``
  A view that needs the shared cache (a rate limit, a lock) and cannot reach it answers
  503 with ``Retry-After``, not 500: the request was fine and may be retried. Only
  "unreachable" errors qualify (``stores.unreachable_errors``); a wrong query stays a 500.
  The sign-in pages keep their own fail-closed guard (members/middleware.py, ADR 0202),
  which runs first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from masthead.core.stores import unreachable_errors

logger = logging.getLogger("masthead.core.stores")

RETRY_AFTER_SECONDS = 30
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
SELF_ONLY_FEATURES = ("web-share",)  # the posts' share button (static/js/site.js)
PERMISSIONS_POLICY = ", ".join(
    [f"{feature}=()" for feature in DENIED_FEATURES]
    + [f"{feature}=(self)" for feature in SELF_ONLY_FEATURES]
)

Handler = Callable[[HttpRequest], HttpResponse]
CAPABILITY_PATHS = ("/api/v1/ocr",)


def is_per_user(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the response may differ by reader (so no shared cache may keep it).

    A response that declares itself ``public`` (static files, blog images) is the same
    for everyone by its view's decision and is left alone. The OCR API's answers carry or
    are reached by a capability URL (an unguessable token in the path) when the caller
    has no cookie or key, so they count as per reader too.
    """
    if "public" in response.get("Cache-Control", "").lower():
        return False
    cookie = settings.SESSION_COOKIE_NAME
    return (
        request.path.startswith(CAPABILITY_PATHS)
        or cookie in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or cookie in response.cookies
    )


class SiteHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_per_user(request, response):
            patch_cache_control(response, private=True)
        return response


def store_unavailable(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


class StoreUnavailableMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, unreachable_errors()):
            return None
        logger.error("store_unreachable path=%s error=%s", request.path, exception)
        if hasattr(request, "session"):
            request.session.modified = False  # the view stopped half-way: save nothing
        return store_unavailable(request)
