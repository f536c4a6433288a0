"""Lone glyphs the detector leaves out: found in the ink, read by the real recogniser.

Each row is drawn with the boxes a detector gives its words; the glyph standing alone gets
no box, as RapidOCR's detector leaves a lone "1" of a quantity column. The last test reads
a drawn receipt through the whole pipeline.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from masthead.ocr import glyphs, pipeline
from masthead.ocr.document import BBox, Word
from masthead.ocr.options import OcrOptions
from tests.ocr.drawing import encode, font

SIZE = 28


def _row(
    parts: list[tuple[str, int]], *, boxed: set[str], width: int = 900
) -> tuple[np.ndarray, list[Word]]:
    """``parts`` (text, x) drawn on one row; the parts in ``boxed`` become words with the
    box a detector gives them (their ink's box, a few pixels larger)."""
    image = Image.new("L", (width, 110), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for text, x in parts:
        draw.text((x, 40), text, font=font(SIZE), fill=40)
        if text in boxed:
            x0, y0, x1, y1 = draw.textbbox((x, 40), text, font=font(SIZE))
            words.append(Word(text, BBox(int(x0) - 3, int(y0) - 4, int(x1) + 3, int(y1) + 5), 0.95))
    return np.asarray(image), words


def _added(gray: np.ndarray, words: list[Word], reader: glyphs.CropReader) -> list[Word]:
    return glyphs.add_lone_glyphs(gray, words, reader)[len(words) :]


@pytest.mark.parametrize("quantity", ["1", "2", "12"])
def test_a_lone_quantity_left_of_the_item_is_read(quantity: str, reader: glyphs.CropReader) -> None:
    gray, words = _row(
        [(quantity, 40), ("HONEY", 160), ("TOAST", 280), ("3.30", 640)],
        boxed={"HONEY", "TOAST", "3.30"},
    )
    added = _added(gray, words, reader)
    assert [w.text for w in added] == [quantity]
    assert 36 <= added[0].bbox.x0 < added[0].bbox.x1 <= 40 + SIZE * len(quantity)
    assert added[0].confidence >= glyphs.TRUST


def test_a_lone_glyph_between_two_words_is_read(reader: glyphs.CropReader) -> None:
    gray, words = _row([("SR", 40), ("7", 250), ("CHOCOLATE", 400)], boxed={"SR", "CHOCOLATE"})
    assert [w.text for w in _added(gray, words, reader)] == ["7"]


def test_a_lone_code_after_the_rows_last_word_is_read(reader: glyphs.CropReader) -> None:
    gray, words = _row([("TOAST", 40), ("3.30", 300), ("T", 440)], boxed={"TOAST", "3.30"})
    assert [w.text for w in _added(gray, words, reader)] == ["T"]


@pytest.mark.parametrize(
    "mark",
    [
        "*  *",  # stars are smaller than the print
        "|",  # a rule is taller than the print
        "-",  # a dash is flat
        "1234",  # a run of four is text the detector missed, not a lone glyph
    ],
)
def test_marks_that_are_no_lone_glyph_are_left(mark: str, reader: glyphs.CropReader) -> None:
    gray, words = _row([(mark, 40), ("HONEY", 220), ("TOAST", 340)], boxed={"HONEY", "TOAST"})
    assert _added(gray, words, reader) == []


def test_the_end_of_a_letter_its_box_left_out_is_no_glyph(reader: glyphs.CropReader) -> None:
    gray, words = _row([("Term", 40), ("Clause", 400)], boxed={"Term", "Clause"})
    term = next(w for w in words if w.text == "Term")
    cut = Word("Term", BBox(term.bbox.x0, term.bbox.y0, term.bbox.x1 - 8, term.bbox.y1), 0.95)
    clause = next(w for w in words if w.text == "Clause")
    assert _added(gray, [cut, clause], reader) == []


def test_a_blank_page_and_no_words_give_nothing(reader: glyphs.CropReader) -> None:
    assert glyphs.add_lone_glyphs(np.full((60, 60), 255, np.uint8), [], reader) == []


def test_the_pipeline_reads_the_quantity_column_of_a_thermal_receipt() -> None:
    """Print broken into dots like a thermal head's: RapidOCR's detector leaves the lone
    quantities out (the page read 1 of 4 of them before the glyph finder), the page's text
    has them."""
    names = ["HONEY SOFT TOAST", "XIAO GE GE", "EGG TART", "OTAK CHEESE BUN"]
    image = Image.new("RGB", (1200, 400), "white")
    draw = ImageDraw.Draw(image)
    for i, name in enumerate(names):
        y = 100 + 50 * i
        for x, text in ((200, "1"), (310, name), (720, "3.30")):
            draw.text((x, y), text, font=font(26), fill=(60, 60, 60))
    pixels = np.asarray(image).copy()
    pixels[np.random.default_rng(1).random(pixels.shape[:2]) < 0.3] = 255
    doc = pipeline.run(
        encode(Image.fromarray(pixels)), OcrOptions(engine="rapid", extract_fields=False)
    )
    rows = [" ".join(line.split()) for line in doc.text.splitlines()]
    assert all(any(name in row for row in rows) for name in names)
    assert sum(row.startswith(f"1 {name}") for row in rows for name in names) >= 3
