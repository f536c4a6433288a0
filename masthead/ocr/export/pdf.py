"""Searchable PDF: each page's image with an invisible, selectable text layer.

Every word is drawn in text render mode 3 (invisible) at its box: the font size comes
from the box height and horizontal stretching makes the word exactly as wide as its box,
so selecting or searching highlights the right place on the image. Given ``source`` (the
original file) the page images are re-read from it, rotated like the result; without it
the pages are blank but still carry the text.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from masthead.ocr.document import Document, Page, Word
from masthead.ocr.options import Limits

if TYPE_CHECKING:
    from fpdf import FPDF

# fpdf2 and the page loader are imported when a PDF is first rendered, so processes that
# only list the formats (the web server) don't carry them.

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
_ASCENT = 0.8  # baseline position within a word box, as a share of its height
JPEG_QUALITY = 80


def render(
    doc: Document, *, source: bytes | Path | None = None, limits: Limits | None = None
) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import TextMode

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Masthead OCR")
    font = _font(pdf, doc)
    for page in doc.pages:
        scale = 72 / page.dpi
        pdf.add_page(format=(page.width * scale, page.height * scale))
        if source is not None:
            _draw_image(pdf, page, source, limits or Limits())
        with pdf.local_context(text_mode=TextMode.INVISIBLE):
            for line in page.lines:
                for index, word in enumerate(line.words):
                    _draw_word(pdf, word, scale, font, last=index == len(line.words) - 1)
    return bytes(pdf.output())


def _font(pdf: FPDF, doc: Document) -> str:
    """The core Helvetica when every word is Latin-1 (nothing to embed: the text is
    invisible, only its extent matters); otherwise a Unicode font if the system has one.

    Embedding DejaVu Sans means subsetting it, about half a second a file."""
    if all(_latin1(word.text) for page in doc.pages for word in page.words):
        return "Helvetica"
    for path in FONT_PATHS:
        if path.is_file():
            pdf.add_font("Masthead", fname=str(path))
            return "Masthead"
    return "Helvetica"


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _draw_word(pdf: FPDF, word: Word, scale: float, font: str, *, last: bool) -> None:
    """Draw ``word`` stretched to its box; a trailing space (outside the box) separates
    it from the next word, so text extraction keeps word boundaries."""
    text = word.text if font != "Helvetica" else word.text.encode("latin-1", "replace").decode()
    height = max(word.bbox.height * scale, 1.0)
    pdf.set_font(font, size=height)
    pdf.set_stretching(100)  # measure unstretched: the width includes the current stretching
    natural = pdf.get_string_width(text)
    width = word.bbox.width * scale
    pdf.set_stretching(100 * width / natural if natural > 0 and width > 0 else 100)
    baseline = (word.bbox.y0 + _ASCENT * word.bbox.height) * scale
    pdf.text(word.bbox.x0 * scale, baseline, text if last else text + " ")


def _draw_image(pdf: FPDF, page: Page, source: bytes | Path, limits: Limits) -> None:
    """The page as a JPEG, upright and at the result's size, covering the whole page."""
    from masthead.ocr import load

    image = load.open_page(source, page.number, limits, dpi=page.dpi, use_text_layer=False).image
    if image is None:
        return
    if page.angle:
        image = image.rotate(-page.angle, expand=True)
    if image.size != (page.width, page.height):
        image = image.resize((page.width, page.height))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    pdf.image(buffer, x=0, y=0, w=pdf.w, h=pdf.h)
