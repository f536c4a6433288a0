"""Upload size checks that run before anything reads a request body (ADR 0404).

Django's CSRF check reads ``request.POST``, and so do ninja and forms: a check inside a
view or an API auth step comes too late for at least one kind of caller. This middleware's
``process_view`` runs before ``CsrfViewMiddleware``'s (it is listed above it), once the
session and user are known, so every caller of an upload endpoint (visitor, member with
session and CSRF token, API key) gets the same limit before a byte of the body is read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from masthead import errors, ocr
from masthead.tools import views
from masthead.tools.uploads import close_spool, guard_upload_size

Refused = ocr.OcrError | errors.MastheadError
Refusal = Callable[[HttpRequest, Refused], HttpResponse]


def _json_refusal(request: HttpRequest, exc: Refused) -> HttpResponse:
    return errors.envelope(errors.status_for(exc), exc.code, exc.message)


UPLOAD_VIEWS: dict[str, Refusal] = {
    "api:ocr_submit": _json_refusal,
    "api:ocr_batch_submit": _json_refusal,
    "tools:ocr": views.upload_refused,
}
"""Every view that takes an upload (by URL name), with how it answers a refused one."""

BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            close_spool(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        refusal = UPLOAD_VIEWS.get(match.view_name) if match else None
        if refusal is None or request.method in BODILESS:
            return None
        try:
            guard_upload_size(request)
        except (ocr.OcrError, errors.MastheadError) as exc:
            return refusal(request, exc)
        return None
