"""The JSON API: one NinjaAPI, mounted at /api/, and its ONE error translator.

Every error, whatever raised it, leaves as the same envelope (documented in docs/api.md)::

    {"ok": false, "status": 413, "error": {"code": "file_too_large", "message": "..."}}

429 and 503 answers carry ``Retry-After``. Library errors map by ``code`` through
``OCR_STATUS``; app errors carry their own status; framework errors get fixed codes.
No traceback, SQL or setting ever reaches the body.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from masthead import ocr
from masthead.errors import APP_ERROR_CODES, OCR_STATUS, MastheadError, envelope
from masthead.tools.api import router as ocr_router
from masthead.tools.uploads import too_large

log = logging.getLogger(__name__)


def _description() -> str:
    codes = {**OCR_STATUS, **APP_ERROR_CODES, "invalid_request": 400, "server_error": 500}
    rows = "\n".join(f"| `{code}` | {status} |" for code, status in sorted(codes.items()))
    return (
        "Read text from images and PDFs.\n\n"
        "Send an API key as `Authorization: Bearer <key>` (members create keys on their "
        "account page), or use the site's session cookie. A caller with neither gets a "
        "capability URL (`/api/v1/ocr/results/<token>`) as the job's `url`. Small images "
        "are answered at once (200); PDFs and larger files answer 202 with a job `url` to "
        "poll. Examples: docs/api.md in the source.\n\n"
        "Every error has the same shape, with `Retry-After` on 429 and 503:\n\n"
        '`{"ok": false, "status": 413, "error": {"code": "file_too_large", "message": "..."}}`'
        "\n\n| code | status |\n| --- | --- |\n" + rows
    )


api = NinjaAPI(
    title="Masthead API",
    version="1",
    description=_description(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/v1", ocr_router)


def error_to_envelope(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The one place an exception becomes an API response."""
    exc = too_large(request) or exc  # the body was stopped while this error arose
    if isinstance(exc, ocr.OcrError):
        status = OCR_STATUS.get(exc.code, 422)
        return envelope(status, exc.code, exc.message, 30 if status == 503 else None)
    if isinstance(exc, MastheadError):
        return envelope(exc.status, exc.code, exc.message, exc.retry_after)
    if isinstance(exc, ValidationError):
        fields = sorted(
            {".".join(str(p) for p in e.get("loc", ())[1:]) or "body" for e in exc.errors}
        )
        return envelope(400, "invalid_request", f"Check these fields: {', '.join(fields)}.")
    if isinstance(exc, AuthenticationError):
        return envelope(401, "invalid_api_key", "Authentication failed.")
    if isinstance(exc, Http404):
        return envelope(404, "not_found", "There is no such resource.")
    if isinstance(exc, HttpError):
        return envelope(exc.status_code, "http_error", str(exc.message))
    if isinstance(exc, RequestDataTooBig):
        return envelope(413, "file_too_large", "The request body is too large.")
    if isinstance(exc, SuspiciousOperation):
        return envelope(400, "invalid_request", "The request was malformed or had too many parts.")
    log.exception("unhandled API error")
    return envelope(500, "server_error", "Something went wrong on our side. Please try again.")


for _cls in (
    ocr.OcrError,
    MastheadError,
    ValidationError,
    AuthenticationError,
    Http404,
    HttpError,
    SuspiciousOperation,
    Exception,
):
    api.add_exception_handler(_cls, error_to_envelope)  # type: ignore[arg-type]
