"""Refuse an oversized request body before Django's ASGI handler reads it.

Under ASGI, Django reads the whole body (spooling it to a temporary file) before any
middleware or view runs, so the upload guard (``UploadLimitMiddleware``,
masthead/tools/middleware.py) would meet a body that is already stored. ``BodyLimit``
wraps the ASGI application and runs first: a declared ``Content-Length`` over the caller's
largest limit is answered 413 unread, and a body without a length (chunked) is cut off as
soon as it passes that limit. The middleware keeps the exact, per-caller checks; this is
the outer bound (docs/decisions/0037).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.conf import settings

from masthead import ocr
from masthead.errors import envelope
from masthead.tools.uploads import MULTIPART_SLACK

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Any, Any, Any], Awaitable[None]]  # scope, receive, send

IMPORT_PATH = "/newsroom/exchange/import/"  # the newsroom's Import & export upload
_DISCONNECT: Message = {"type": "http.disconnect"}


def largest_body(scope: MutableMapping[str, Any]) -> int:
    """The most this caller may send: a member's upload limit when the request carries a
    session cookie or an ``Authorization`` header (the view checks which), a visitor's
    otherwise; never less than the other forms' limits, plus the multipart framing."""
    session = settings.SESSION_COOKIE_NAME.encode() + b"="
    may_be_member = any(
        name == b"authorization" or (name == b"cookie" and session in value)
        for name, value in scope.get("headers", ())
    )
    upload = (
        settings.MASTHEAD_OCR_MAX_BYTES_MEMBER if may_be_member else settings.MASTHEAD_OCR_MAX_BYTES
    )
    forms = max(settings.MASTHEAD_AVATAR_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if may_be_member and scope.get("path", "") == IMPORT_PATH:
        # An admin's import upload (the view checks the role and the exact limit).
        forms = max(forms, settings.MASTHEAD_IMPORT_UPLOAD_MAX_BYTES)
    return max(upload, forms) + MULTIPART_SLACK


def _declared_length(scope: MutableMapping[str, Any]) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the server refuses a malformed length itself
    return None


async def _refuse(scope: MutableMapping[str, Any], send: Send, size: int, limit: int) -> None:
    """413, as the JSON envelope under /api/ and as plain text elsewhere."""
    message = ocr.FileTooLargeError(size, limit).message
    if scope.get("path", "").startswith("/api/"):
        body = envelope(413, "file_too_large", message).content
        content_type = b"application/json"
    else:
        body, content_type = message.encode(), b"text/plain; charset=utf-8"
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: bound every HTTP request body before the application reads it."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = largest_body(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send, declared, limit - MULTIPART_SLACK)
            return
        seen, over, started = 0, False, False

        async def bounded_receive() -> Message:
            nonlocal seen, over
            if over:
                return _DISCONNECT
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # a chunked body, or more than it declared
                    over = True
                    return _DISCONNECT  # Django drops the request unanswered
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, bounded_receive, tracked_send)
        if over and not started:
            await _refuse(scope, send, seen, limit - MULTIPART_SLACK)
