"""Compressed HTML, JSON, XML and text responses, without exposing secrets to BREACH.

Brotli (quality 4) when the browser accepts it, else gzip (level 6): a 21 KB post page
leaves as about 6 KB, for about 0.2 ms of CPU. Static files are not touched here
(WhiteNoise serves its own pre-compressed copies, streamed).

BREACH (ADR 0024) recovers a secret from the size of compressed responses when the same
response also reflects attacker-chosen text. A secret that can leak this way comes from
state tied to the victim's credentials (cookies, an ``Authorization`` header); a request
that carries none has nothing to steal but the CSRF token, which Django masks afresh for
every response. So:

- a request without a session cookie or ``Authorization`` header: compressed;
- a request with one: compressed only when its view marked the response
  ``compress_per_user`` (``mark_compressible``): the public pages served by the page cache,
  whose per-reader parts are the masked CSRF token, the per-response CSP nonce and whether
  the reader is signed in. Account pages, API keys, OCR results and everything else that
  may hold a reader's own data go out uncompressed.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

try:  # an optional speed-up; gzip alone meets the size goals
    import brotli
except ImportError:  # pragma: no cover - brotli is a locked dependency
    brotli = None

MIN_BYTES = 512  # below this the headers cost more than the saving
BROTLI_QUALITY = 4
GZIP_LEVEL = 6
COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/markdown",
    "text/css",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "text/javascript",
)
_MARK = "compress_per_user"

Handler = Callable[[HttpRequest], HttpResponse]


def mark_compressible(response: HttpResponse) -> HttpResponse:
    """Declare that ``response`` reflects no per-reader secret (see the module docstring)."""
    setattr(response, _MARK, True)
    return response


def _carries_credentials(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META


def _encoding(request: HttpRequest) -> str | None:
    accepted = {
        part.split(";", 1)[0].strip().lower()
        for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(",")
        if not part.strip().lower().endswith(("q=0", "q=0.0"))
    }
    if brotli is not None and "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def _compressible(request: HttpRequest, response: HttpResponse) -> bool:
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    if response.status_code < 200 or response.status_code in {204, 304}:
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES or len(response.content) < MIN_BYTES:
        return False
    return not _carries_credentials(request) or getattr(response, _MARK, False)


class CompressionMiddleware:
    """Compress the final body (outermost but one: after every other middleware's change)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _compressible(request, response):
            return response
        # Whatever the outcome, a shared cache must key this response on Accept-Encoding.
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = _encoding(request)
        if encoding is None:
            return response
        body = response.content
        if encoding == "br":
            compressed = brotli.compress(body, quality=BROTLI_QUALITY)
        else:
            compressed = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        if len(compressed) >= len(body):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = encoding
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag  # the bytes differ from the uncompressed ones
        return response
