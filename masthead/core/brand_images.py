"""Logo, icon and default social image: checked like an OCR upload, stored as fresh PNGs.

An upload is refused before any pixel is decoded when its bytes are not a PNG, JPEG, WebP
or GIF (decided by content, never by name or Content-Type), when it is larger than
``MASTHEAD_BRAND_IMAGE_MAX_BYTES``, or when its header declares more pixels than
``MASTHEAD_OCR_MAX_PIXELS`` (the OCR tool's own checks: ``masthead.ocr.count_pages``).
Accepted images are decoded (first frame only), scaled down to the size the site shows
them at and written out as a new PNG: metadata, extra frames and anything appended to
the file are left behind.
"""

from __future__ import annotations

import io
import warnings

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from masthead import ocr
from masthead.errors import OCR_STATUS, MastheadError

ALLOWED = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF"}
# Longest side kept for each image (the site never shows them larger).
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError, Warning)
MAX_SIDE = {"logo": 800, "icon": 512, "social_image": 2400}


def reencode(data: bytes, *, kind: str) -> bytes:
    """``data`` as a clean PNG no larger than ``MAX_SIDE[kind]``; raises MastheadError."""
    limits = ocr.Limits(
        max_bytes=settings.MASTHEAD_BRAND_IMAGE_MAX_BYTES,
        max_pixels=settings.MASTHEAD_OCR_MAX_PIXELS,
        max_pages=1,
    )
    try:
        ocr.count_pages(data, limits)
        fmt = ocr.sniff(data)
    except ocr.OcrError as exc:
        raise MastheadError(exc.code, str(exc), status=OCR_STATUS.get(exc.code, 400)) from exc
    if fmt not in ALLOWED:
        raise MastheadError(
            "unsupported_type",
            _("Use a PNG, JPEG, WebP or GIF image (this file is %(kind)s).")
            % {"kind": fmt.upper()},
            status=415,
        )
    return _draw(data, fmt, MAX_SIDE[kind])


def _draw(data: bytes, fmt: str, side: int) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[ALLOWED[fmt]]) as image:
                image.seek(0)
                image.load()
                frame = ImageOps.exif_transpose(image)
                frame = frame.convert("RGBA")
    except (
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        Image.DecompressionBombError,
        Warning,
    ) as exc:
        raise MastheadError(
            "corrupt_image", _("This image could not be read: it may be damaged."), status=422
        ) from exc
    frame.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    frame.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
