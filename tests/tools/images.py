"""Test files drawn on the fly (never downloaded): images, PDFs and broken variants."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from tests.tools.engines import LINES

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw_page(width: int = 800, height: int = 300) -> Image.Image:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, max(10, height // 9))
    for text, (x0, y0, _x1, _y1) in LINES:
        draw.text((x0 * width, y0 * height), text, fill="black", font=font)
    return image


def png(width: int = 800, height: int = 300) -> bytes:
    buffer = io.BytesIO()
    draw_page(width, height).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 800, height: int = 300) -> bytes:
    buffer = io.BytesIO()
    draw_page(width, height).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def pdf(pages: int = 3, width: int = 600, height: int = 800, resolution: float = 72) -> bytes:
    """An image-only PDF (a scan): ``width`` x ``height`` pixels per page at ``resolution``."""
    buffer = io.BytesIO()
    images = [draw_page(width, height) for _ in range(pages)]
    images[0].save(
        buffer, format="PDF", save_all=True, append_images=images[1:], resolution=resolution
    )
    return buffer.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    """A PNG that does not compress (random pixels): large bytes for its size."""
    import os

    image = Image.frombytes("L", (width, height), os.urandom(width * height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    return buffer.getvalue()
