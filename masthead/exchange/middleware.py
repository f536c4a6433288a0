"""Old addresses of an imported site keep working: a 301 to where the content lives now.

Only two kinds of request are looked up, so every other page costs nothing: a GET whose
query names a WordPress item (``/?p=123``, ``/?page_id=7``, ``/?cat=3``) and a GET that
would answer 404. Targets are paths on this site (the importers write only those).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from masthead.exchange.models import PathRedirect

QUERY_KEYS = ("p", "page_id", "cat", "tag", "author")


def _target(old_path: str) -> str | None:
    found = PathRedirect.objects.filter(old_path=old_path).values_list("target", flat=True).first()
    if found and found.startswith("/") and not found.startswith("//"):
        return found
    return None


class PathRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"} and request.GET:
            for key in QUERY_KEYS:
                value = request.GET.get(key)
                if value:
                    target = _target(f"{request.path}?{key}={value}")
                    if target:
                        return HttpResponsePermanentRedirect(target)
                    break
        response = self.get_response(request)
        if response.status_code == 404 and request.method in {"GET", "HEAD"}:
            target = _target(request.path)
            if target is None and not request.path.endswith("/"):
                target = _target(request.path + "/")
            if target:
                return HttpResponsePermanentRedirect(target)
        return response
