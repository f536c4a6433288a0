"""Bounding an upload before and while its body is read (RELIABILITY U11).

``guard_upload_size`` runs before anything touches ``request.POST``/``FILES``: a declared
``Content-Length`` over the caller's limit is refused at once, and an upload handler
stops a body (chunked, or lying about its length) as soon as it grows past the limit.
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

from masthead import ocr
from masthead.tools import services

MULTIPART_SLACK = 64 * 1024  # form fields and part headers around the file


class _BoundedUpload(FileUploadHandler):
    """Stops reading a multipart body once its files exceed the caller's limit."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit, self.seen = limit, 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > self.limit:
            self.request.ocr_upload_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def guard_upload_size(request: HttpRequest) -> None:
    """Refuse by declared size before reading; bound the read when the size is unknown."""
    limit = services.upload_limit_for_request(request)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + MULTIPART_SLACK:
        raise ocr.FileTooLargeError(declared, limit)
    request.upload_handlers.insert(0, _BoundedUpload(request, limit))


def too_large(request: HttpRequest) -> bool:
    """True when ``_BoundedUpload`` stopped this request's body."""
    return bool(getattr(request, "ocr_upload_too_large", False))
