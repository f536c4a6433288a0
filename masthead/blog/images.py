"""Responsive renditions of hero images (AVIF and WebP at a few widths).

Made once when an image is uploaded, so the post page only reads file names. The decoder
is capped (Pillow's decompression-bomb limit, lowered) so a hostile upload fails fast.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
FORMATS = (("image/avif", "AVIF", "avif"), ("image/webp", "WEBP", "webp"))
MAX_PIXELS = 40_000_000


class HeroImageError(ValueError):
    """The uploaded hero image cannot be used."""

    code = "bad_hero_image"


def _open(data: bytes) -> Image.Image:
    try:
        image: Image.Image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise HeroImageError(
                f"The image is {image.width}x{image.height}; the limit is {MAX_PIXELS:,} pixels."
            )
        image.load()
    except (OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise HeroImageError("This file is not an image we can read.") from error
    image = ImageOps.exif_transpose(image)
    return image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "AVIF":
        image.save(buffer, fmt, quality=60, speed=8)
    else:
        image.save(buffer, fmt, quality=80, method=4)
    return buffer.getvalue()


def make_renditions(data: bytes, *, stem: str) -> list[dict[str, str | int]]:
    """Write renditions of ``data`` to storage; return ``[{type, width, name}, ...]``.

    Widths never exceed the original, and the original width is always included.
    """
    image = _open(data)
    digest = hashlib.sha256(data).hexdigest()[:10]
    widths = sorted({w for w in WIDTHS if w < image.width} | {min(image.width, WIDTHS[-1])})
    out: list[dict[str, str | int]] = []
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for media_type, fmt, ext in FORMATS:
            name = str(PurePosixPath("blog/renditions") / f"{stem}-{digest}-{width}.{ext}")
            if not default_storage.exists(name):
                name = default_storage.save(name, ContentFile(_encode(resized, fmt)))
            out.append({"type": media_type, "width": width, "name": name})
    return out


def srcset(renditions: list[dict[str, str | int]], media_type: str) -> str:
    """``srcset`` attribute value for one format."""
    return ", ".join(
        f"{default_storage.url(str(r['name']))} {r['width']}w"
        for r in renditions
        if r["type"] == media_type
    )


def delete_renditions(renditions: list[dict[str, str | int]]) -> None:
    """Remove rendition files (an upload that failed after they were written)."""
    for rendition in renditions:
        default_storage.delete(str(rendition["name"]))


def upright_size(data: bytes) -> tuple[int, int]:
    """Width and height as shown (EXIF rotation applied), read from the header only."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)
