"""Application-level errors: a rule of the site, not of the OCR library, was broken.

``MastheadError`` carries a stable snake_case ``code``, a reader-facing ``message``, the
HTTP ``status`` the API answers with and, for 429/503, ``retry_after`` seconds. It is
translated in one place per interface: ``masthead/api.py`` for JSON, the view for HTML.

MastheadError
  code               status  when
  rate_limited       429     too many submissions in the current window
  queue_unavailable  503     the job broker cannot be reached
  busy               503     too many jobs are waiting
  not_found          404     no such job (or not yours)
  invalid_api_key    401     the Bearer key is unknown or revoked
  csrf_failed        403     a session-authenticated call without its CSRF token
  too_many_files     400     a batch with more files than MASTHEAD_OCR_BATCH_MAX_FILES
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

from masthead import ocr

OCR_STATUS: dict[str, int] = {
    "empty_file": 400,
    "bad_input": 400,
    "unsupported_language": 400,
    "language_unknown": 422,
    "language_unavailable": 422,
    "too_many_languages": 422,
    "script_unsupported": 422,
    "unsupported_type": 415,
    "corrupt_file": 422,
    "corrupt_image": 422,
    "corrupt_pdf": 422,
    "pdf_encrypted": 422,
    "ocr_failed": 422,
    "limit_exceeded": 413,
    "file_too_large": 413,
    "image_too_large": 413,
    "too_many_pages": 413,
    "engine_failed": 503,
    "engine_unavailable": 503,
    "engine_crashed": 503,
    "ocr_timeout": 503,
}
"""HTTP status for every ``ocr.ERROR_CODES`` entry (a test keeps the two in step)."""


class MastheadError(Exception):
    """A request the site refuses on purpose, with what to do next in ``message``."""

    def __init__(
        self, code: str, message: str, *, status: int = 400, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
        self.retry_after = retry_after


def rate_limited(retry_after: int) -> MastheadError:
    return MastheadError(
        "rate_limited",
        _("Too many files in a short time. Wait %(seconds)s seconds and try again.")
        % {"seconds": retry_after},
        status=429,
        retry_after=retry_after,
    )


def queue_unavailable() -> MastheadError:
    return MastheadError(
        "queue_unavailable",
        _("The text reader is unavailable right now. Please try again in a minute."),
        status=503,
        retry_after=60,
    )


def busy(retry_after: int = 30) -> MastheadError:
    return MastheadError(
        "busy",
        _("The text reader is busy with other files. Please try again shortly."),
        status=503,
        retry_after=retry_after,
    )


def not_found() -> MastheadError:
    return MastheadError("not_found", _("There is no such result."), status=404)


def invalid_api_key() -> MastheadError:
    return MastheadError(
        "invalid_api_key",
        _("The API key is unknown or was revoked. Create a new key on your account page."),
        status=401,
    )


def csrf_failed() -> MastheadError:
    return MastheadError(
        "csrf_failed",
        _("The request lacked its security token. Reload the page and try again."),
        status=403,
    )


APP_ERROR_CODES: dict[str, int] = {
    "rate_limited": 429,
    "queue_unavailable": 503,
    "busy": 503,
    "not_found": 404,
    "invalid_api_key": 401,
    "csrf_failed": 403,
    "too_many_files": 400,
}
"""Every code above with its status, for the API docs and the envelope tests."""


def status_for(exc: Exception) -> int:
    """The HTTP status for an error the site or the OCR library raised on purpose."""
    if isinstance(exc, MastheadError):
        return exc.status
    if isinstance(exc, ocr.OcrError):
        return OCR_STATUS.get(exc.code, 422)
    return 500


def envelope(status: int, code: str, message: str, retry_after: int | None = None) -> JsonResponse:
    """The API's one error shape (docs/api.md), with ``Retry-After`` on 429 and 503."""
    response = JsonResponse(
        {"ok": False, "status": status, "error": {"code": code, "message": message}}, status=status
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
