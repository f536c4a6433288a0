"""Bounding an upload before and while its body is read (RELIABILITY U11, ADR 0404).

``guard_upload_size`` runs from ``UploadLimitMiddleware`` (masthead/tools/middleware.py),
before the CSRF check, ninja or a form touch ``request.POST``/``FILES``:

- a declared ``Content-Length`` over the caller's limit is refused at once, unread;
- a body without a length (chunked) is read into a spool, at most limit + 64 KiB + one
  chunk, then handed to Django with its real length, or refused;
- an upload handler placed first stops a multipart body whose files grow past the limit
  (a length that lies), and records the refusal for the view to report.
"""

from __future__ import annotations

import tempfile
from typing import IO

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest

from masthead import errors, ocr
from masthead.tools import services

MULTIPART_SLACK = 64 * 1024  # form fields and part headers around the file
CHUNK = 64 * 1024
REFUSED = "ocr_upload_refused"  # request attribute: the FileTooLargeError the handler raised
SPOOL = "ocr_upload_spool"  # request attribute: the spool of a chunked body, closed after


class _BoundedUpload(FileUploadHandler):
    """Stops reading a multipart body once its files exceed the caller's limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit, self.seen = limit, 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > self.limit:
            setattr(self.request, REFUSED, ocr.FileTooLargeError(self.seen, self.limit))
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def guard_upload_size(request: HttpRequest) -> None:
    """Refuse by declared size before reading; bound the read when the size is unknown.

    Raises ``ocr.FileTooLargeError``, or ``errors.MastheadError`` (400) for a chunked body
    that cannot be read. Must run before anything reads the body.
    """
    limit = services.upload_limit_for_request(request)
    declared = _declared_length(request)
    if declared is None:
        declared = _spool_unsized_body(request, limit)
    if declared > limit + MULTIPART_SLACK:
        raise ocr.FileTooLargeError(declared, limit)
    request.upload_handlers.insert(0, _BoundedUpload(request, limit))


def _declared_length(request: HttpRequest) -> int | None:
    """The body's declared length; None when the server passes an unsized (chunked) body.

    Raises ``errors.MastheadError`` (400) for a length that is not a number of bytes.
    """
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, "") and request.META.get("wsgi.input_terminated"):
        return None
    text = str(raw or "0").strip()
    if not (
        text.isascii() and text.isdigit()
    ):  # Django's multipart parser would fail with a 500 on "-1"
        raise errors.MastheadError(
            "invalid_request", "Content-Length must be a whole number of bytes.", status=400
        )
    return int(text)


def _spool_unsized_body(request: HttpRequest, limit: int) -> int:
    """Read a chunked body into a spool, refusing it as soon as it passes the limit.

    Django would otherwise see a chunked body as empty; this gives it the body and its
    real length, having read at most ``limit + MULTIPART_SLACK + CHUNK`` bytes.
    """
    source: IO[bytes] = request.META["wsgi.input"]
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - open for the request; see close_spool
        max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    size = 0
    while chunk := _read(source, spool):
        size += len(chunk)
        if size > limit + MULTIPART_SLACK:
            spool.close()
            raise ocr.FileTooLargeError(size, limit)
        spool.write(chunk)
    spool.seek(0)
    setattr(request, SPOOL, spool)
    request._stream = LimitedStream(spool, size)  # type: ignore[assignment,arg-type]
    request.META["CONTENT_LENGTH"] = str(size)
    return size


def _read(source: IO[bytes], spool: IO[bytes]) -> bytes:
    """One chunk; a broken chunked encoding (the server's parser raises) is the client's error."""
    try:
        return source.read(CHUNK)
    except Exception as exc:  # gunicorn's ParseException subclasses are not OSErrors
        spool.close()
        raise errors.MastheadError(
            "invalid_request", "The upload could not be read. Please send it again.", status=400
        ) from exc


def close_spool(request: HttpRequest) -> None:
    """Close (and so delete) the spool of a chunked body once the response is made."""
    spool = getattr(request, SPOOL, None)
    if spool is not None:
        spool.close()


def too_large(request: HttpRequest) -> ocr.FileTooLargeError | None:
    """The refusal ``_BoundedUpload`` recorded when it stopped this request's body."""
    refused: ocr.FileTooLargeError | None = getattr(request, REFUSED, None)
    return refused
