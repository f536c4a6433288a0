"""Site-wide views: error pages, the health check and uploaded media."""

import posixpath

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.static import serve

from masthead.core import publication, readiness

MEDIA_MAX_AGE = 60 * 60 * 24 * 7
PRIVATE_MEDIA_DIRS = frozenset({"ocr"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness, for the load balancer: this process answers and reaches the database.

    The shared cache and the broker are left out on purpose: pages degrade without the
    cache, and one outage of a shared store must not take every node out of rotation at
    once. ``/readyz`` reports them (docs/operations.md "Health and readiness").
    """
    ok = readiness.database_ok()
    return JsonResponse({"ok": ok}, status=200 if ok else 503)


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness, for deploys and monitoring: the database, the cache and the broker."""
    checks = readiness.check_all()
    ok = all(checks.values())
    body = {"ok": ok, "checks": {name: "ok" if up else "down" for name, up in checks.items()}}
    response = JsonResponse(body, status=200 if ok else 503)
    add_never_cache_headers(response)
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, for one)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """Uploaded images (heroes, renditions, avatars) for single-machine installs.

    A front proxy may serve MEDIA_ROOT itself; this keeps ``make run`` complete. Uploaded
    names never change content (renditions carry a content hash), so browsers may cache.
    OCR files are kept outside MEDIA_ROOT; ``ocr/`` is refused anyway, so copies left there
    by an older install are never served.
    """
    top = posixpath.normpath(path).lstrip("/").split("/", 1)[0]  # as serve() resolves it
    if top.lower() in PRIVATE_MEDIA_DIRS:
        raise Http404("Not a public file.")
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    return response


THEME_CSS = """:root {{
  --accent: {light_accent}; --accent-ink: #ffffff; --accent-soft: {light_soft};
}}
@media (prefers-color-scheme: dark) {{
  :root {{ --accent: {dark_accent}; --accent-ink: #111114; --accent-soft: {dark_soft}; }}
}}
"""


def theme_css(request: HttpRequest) -> HttpResponse:
    """The accent colour chosen in the newsroom, as CSS custom properties over site.css.

    Pages link it as ``/theme.css?v=<version>``: a new version is a new address, so the
    file may be cached for a year, and a change shows on the next page load.
    """
    look = publication.current(request)
    response = HttpResponse(THEME_CSS.format(**look.theme), content_type="text/css; charset=utf-8")
    if request.GET.get("v") == str(look.version):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=60"
    return response
