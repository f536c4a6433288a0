"""The searchable PDF is read back with pypdfium2: words, positions, page size, image."""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

from masthead.ocr import pipeline
from masthead.ocr.document import Document, Page
from masthead.ocr.export import pdf, render
from masthead.ocr.options import OcrOptions
from tests.ocr.drawing import encode, text_image
from tests.ocr.export.sample import document


def test_text_layer_has_the_words_at_their_boxes() -> None:
    doc = document()
    data = pdf.render(doc)
    reader = pdfium.PdfDocument(data)
    assert len(reader) == 2
    page = reader[0]
    width, height = page.get_size()
    assert abs(width - 2480 * 72 / 300) < 0.5 and abs(height - 3508 * 72 / 300) < 0.5
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    assert "Weekly *digest*" in text and "Masthead reads <text> & more." in text and "Cake" in text
    # "Masthead" is drawn at pixel box (100, 200)-(260, 230): 24.0-62.4 pt, from the top
    left, bottom, right, top = _find(textpage, "Masthead")
    assert abs(left - 24.0) < 3 and abs(right - 62.4) < 4
    assert abs((height - top) - 200 * 0.24) < 6 and abs((height - bottom) - 230 * 0.24) < 6
    assert reader[1].get_textpage().get_text_range().strip() == "Page two"


def _find(textpage: pdfium.PdfTextPage, word: str) -> tuple[float, float, float, float]:
    searcher = textpage.search(word)
    start, count = searcher.get_next()
    boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def test_with_source_the_page_image_is_underneath() -> None:
    image = text_image(["Searchable"], size=(1200, 300))
    data = encode(image)
    doc = pipeline.run(data, OcrOptions(engine="rapid", detect_orientation=False))
    out = render(doc, "pdf", source=data)
    assert isinstance(out, bytes) and out.startswith(b"%PDF-")
    page = pdfium.PdfDocument(out)[0]
    assert page.get_textpage().get_text_range().strip() == "Searchable"
    shown = page.render(scale=300 / 72).to_pil().convert("L")
    assert shown.size == (1200, 300)
    assert shown.getextrema()[0] < 60  # the drawn text is visible, not just the invisible layer


def test_rotated_pages_are_drawn_upright() -> None:
    upright = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(upright).rectangle((0, 0, 100, 50), fill="black")  # mark the top left corner
    stored = upright.rotate(90, expand=True)  # scanned a quarter turn anticlockwise
    doc = Document((Page(1, 600, 300, 300, angle=90),))
    page = pdfium.PdfDocument(pdf.render(doc, source=encode(stored)))[0]
    shown = page.render(scale=300 / 72).to_pil().convert("L")
    assert shown.size == (600, 300)
    assert shown.getpixel((20, 20)) < 60 and shown.getpixel((580, 280)) > 200
