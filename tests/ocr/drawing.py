"""Test inputs drawn on the fly: text on images, PDFs with and without a text layer."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from masthead.ocr.document import BBox, Word

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SHARED = Path("/work/shared/ocr-dev")


def font(size: int = 40) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if FONT.is_file():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size=size)


def text_image(
    lines: list[str],
    *,
    size: tuple[int, int] = (1400, 500),
    font_size: int = 40,
    origin: tuple[int, int] = (60, 60),
    mode: str = "RGB",
    ink: str | int | tuple[int, ...] = "black",
    paper: str | int | tuple[int, ...] = "white",
) -> Image.Image:
    """``lines`` drawn top to bottom in dark ink on a light page."""
    image = Image.new(mode, size, paper)
    draw = ImageDraw.Draw(image)
    x, y = origin
    for line in lines:
        draw.text((x, y), line, fill=ink, font=font(font_size))
        y += int(font_size * 1.6)
    return image


def encode(image: Image.Image, fmt: str = "PNG", **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def png(lines: list[str], **kw: object) -> bytes:
    return encode(text_image(lines, **kw))  # type: ignore[arg-type]


def text_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages carry real (selectable) text: the text-layer path."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.add_font("DejaVu", fname=str(FONT))
    for lines in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=14)
        for index, line in enumerate(lines):
            pdf.text(72, 100 + 24 * index, line)
    return bytes(pdf.output())


def image_pdf(images: list[Image.Image], *, dpi: int = 150) -> bytes:
    """A PDF of page-sized pictures and no text: the render-and-OCR path."""
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(auto=False)
    for image in images:
        width, height = image.width * 72 / dpi, image.height * 72 / dpi
        pdf.add_page(format=(width, height))
        pdf.image(io.BytesIO(encode(image.convert("RGB"))), x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


def words(*items: tuple[str, tuple[int, int, int, int]], confidence: float = 0.9) -> list[Word]:
    return [Word(text, BBox(*box), confidence) for text, box in items]


def row(text: str, *, x: int = 10, y: int = 10, char: int = 20, height: int = 30) -> list[Word]:
    """Words of ``text`` laid out on one line, ``char`` pixels per character."""
    found: list[Word] = []
    for token in text.split():
        width = char * len(token)
        found.append(Word(token, BBox(x, y, x + width, y + height), 0.9))
        x += width + char
    return found
