"""PDF pages through pypdfium2: page count, text-layer words, or a capped render.

A page's embedded text is used when it has some and no large picture covers the page
(a scan whose only text is a stamp or page number is still OCR'd). Render size is
``dpi`` scaled down so the page fits ``Limits.max_pixels``, but never below ``MIN_DPI``:
a page that would not fit even there is refused (``image_too_large``) from its page box,
before anything is rendered (docs/decisions/0012). A render far over the pipeline's work
size is drawn at a whole fraction of that resolution (``work_dpi``, ADR 0034).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from masthead.ocr import imaging
from masthead.ocr.document import BBox, Word
from masthead.ocr.errors import CorruptPdfError, EncryptedPdfError, TooManyPagesError
from masthead.ocr.imaging import PageImage
from masthead.ocr.options import Limits

MIN_DPI = 72
"""Lowest resolution a page is rendered at to fit the pixel cap (one pixel per point).

Below it, body text is a few pixels tall and reads as a smear; such a page is refused
instead. A caller that asks for less than this (``dpi``) gets what it asked for."""

_MIN_TEXT_CHARS = 1
_BIG_IMAGE_SHARE = 0.5


def _document(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedPdfError from exc
        raise CorruptPdfError("cannot open it") from exc


def count(data: bytes, limits: Limits, *, dpi: int) -> int:
    """Number of pages; then every page box is checked against the pixel cap.

    The boxes are read without loading the pages (no content is parsed). A page whose
    box cannot be read is left to ``open_page``, which reports it as damaged.
    """
    pdf = _document(data)
    try:
        pages = len(pdf)
        if pages > limits.max_pages:
            raise TooManyPagesError(pages, limits.max_pages)
        for index in range(pages):
            try:
                width_pt, height_pt = pdf.get_page_size(index)
            except pdfium.PdfiumError:
                continue
            if width_pt > 0 and height_pt > 0:
                render_plan(width_pt, height_pt, dpi, limits.max_pixels, page=index + 1)
        return pages
    finally:
        pdf.close()


def iter_pages(
    data: bytes, limits: Limits, *, dpi: int, use_text_layer: bool
) -> Iterator[PageImage]:
    pdf = _document(data)
    try:
        pages = len(pdf)
        if pages > limits.max_pages:
            raise TooManyPagesError(pages, limits.max_pages)
        if pages == 0:
            raise CorruptPdfError("it has no pages")
        for index in range(pages):
            yield _page(pdf, index, limits, dpi=dpi, use_text_layer=use_text_layer)
    finally:
        pdf.close()


def open_page(
    data: bytes, page_no: int, limits: Limits, *, dpi: int, use_text_layer: bool
) -> PageImage:
    pdf = _document(data)
    try:
        pages = len(pdf)
        if pages > limits.max_pages:
            raise TooManyPagesError(pages, limits.max_pages)
        if not 1 <= page_no <= pages:
            raise IndexError(f"page {page_no} out of range 1-{pages}")
        return _page(pdf, page_no - 1, limits, dpi=dpi, use_text_layer=use_text_layer)
    finally:
        pdf.close()


def _page(
    pdf: pdfium.PdfDocument, index: int, limits: Limits, *, dpi: int, use_text_layer: bool
) -> PageImage:
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise CorruptPdfError(f"page {index + 1} cannot be read") from exc
    try:
        width_pt, height_pt = page.get_size()
        if not (width_pt > 0 and height_pt > 0):
            raise CorruptPdfError(f"page {index + 1} has no size")
        dpi, size = render_plan(width_pt, height_pt, dpi, limits.max_pixels, page=index + 1)
        if use_text_layer and page.get_rotation() == 0 and not _mostly_picture(page):
            words = _text_words(page, height_pt, dpi / 72)
            if words:
                return PageImage(index + 1, size[0], size[1], dpi, None, tuple(words))
        dpi = work_dpi(size, dpi)
        try:
            bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
            image = bitmap.to_pil().convert("RGB")
        except pdfium.PdfiumError as exc:
            raise CorruptPdfError(f"page {index + 1} cannot be drawn") from exc
        return PageImage(index + 1, image.width, image.height, dpi, image)
    finally:
        page.close()


def work_dpi(size: tuple[int, int], dpi: int) -> int:
    """``dpi`` divided by ``imaging.work_reduction`` of a render of ``size`` at ``dpi``.

    An A2 page drawn at 300 dpi is 35 megapixels, held as pdfium's bitmap and its RGB copy
    (~250 MB) only to be shrunk. Never below ``MIN_DPI`` or the ``dpi`` asked for,
    whichever is lower.
    """
    factor = imaging.work_reduction(*size)
    return dpi if factor < 2 else max(min(dpi, MIN_DPI), dpi // factor)


def render_plan(
    width_pt: float, height_pt: float, dpi: int, max_pixels: int, *, page: int
) -> tuple[int, tuple[int, int]]:
    """The resolution and pixel size a page of this box is rendered at.

    ``dpi``, lowered until the render (sized as pypdfium2 sizes it) has at most
    ``max_pixels`` pixels; ``ImageTooLargeError`` if that takes it below ``MIN_DPI``
    (or the box is not a finite size). Pure arithmetic: call it before rendering.
    """
    floor = min(dpi, MIN_DPI)
    if not (math.isfinite(width_pt) and math.isfinite(height_pt)):
        imaging.check_pixels(-1, -1, max_pixels, page=page, dpi=floor)
    pixels = width_pt * height_pt * (dpi / 72) ** 2
    estimate = dpi if pixels <= max_pixels else math.floor(dpi * math.sqrt(max_pixels / pixels))
    chosen = max(floor, estimate)
    while chosen > floor and _area(width_pt, height_pt, chosen) > max_pixels:
        chosen -= 1  # each side is rounded up, which can add a row or a column
    size = _render_size(width_pt, height_pt, chosen)
    imaging.check_pixels(*size, max_pixels, page=page, dpi=floor)
    return chosen, size


def _area(width_pt: float, height_pt: float, dpi: int) -> int:
    width, height = _render_size(width_pt, height_pt, dpi)
    return width * height


def _render_size(width_pt: float, height_pt: float, dpi: int) -> tuple[int, int]:
    """Pixel size of ``PdfPage.render(scale=dpi / 72)``: it rounds each side up."""
    scale = dpi / 72
    return math.ceil(width_pt * scale), math.ceil(height_pt * scale)


def _mostly_picture(page: pdfium.PdfPage) -> bool:
    width, height = page.get_size()
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        if (right - left) * (top - bottom) >= _BIG_IMAGE_SHARE * width * height:
            return True
    return False


def _text_words(page: pdfium.PdfPage, height_pt: float, scale: float) -> list[Word]:
    """Words from the text layer: characters joined until whitespace or a jump."""
    textpage = page.get_textpage()
    try:
        words: list[Word] = []
        chars: list[tuple[str, tuple[float, float, float, float]]] = []
        for i in range(textpage.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            box = textpage.get_charbox(i, loose=True)
            if char.isspace() or char == "\x00" or (chars and _jumps(chars[-1][1], box)):
                _flush(chars, words, height_pt, scale)
            if not (char.isspace() or char == "\x00"):
                chars.append((char, box))
        _flush(chars, words, height_pt, scale)
        return words if sum(len(w.text) for w in words) >= _MIN_TEXT_CHARS else []
    finally:
        textpage.close()


def _jumps(prev: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """True when ``box`` starts a new word though no space separates it (a new line)."""
    height = max(prev[3] - prev[1], 1.0)
    return box[0] < prev[0] - height or abs(box[1] - prev[1]) > 0.6 * height


def _flush(
    chars: list[tuple[str, tuple[float, float, float, float]]],
    words: list[Word],
    height_pt: float,
    scale: float,
) -> None:
    if not chars:
        return
    left = min(b[0] for _, b in chars)
    bottom = min(b[1] for _, b in chars)
    right = max(b[2] for _, b in chars)
    top = max(b[3] for _, b in chars)
    x0, x1 = sorted((max(0, round(left * scale)), max(0, round(right * scale))))
    y0, y1 = sorted(
        (max(0, round((height_pt - top) * scale)), max(0, round((height_pt - bottom) * scale)))
    )
    bbox = BBox(x0, y0, x1, y1)
    words.append(Word("".join(c for c, _ in chars), bbox, 1.0))
    chars.clear()
