"""Lines of print the detector left out: found in the ink, read by the real recogniser.

Each page is drawn with the boxes a detector gives the lines it found; the line it missed
gets none, as RapidOCR's detector leaves a bold dot-matrix line out.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from masthead.ocr import _unread, glyphs, missed_lines, pipeline
from masthead.ocr.document import BBox, Word
from masthead.ocr.options import OcrOptions
from tests.ocr.drawing import encode, font

SIZE = 30
LINES = ["KEDAI BUKU CAHAYA", "12 JALAN MAWAR", "47400 PETALING JAYA"]


def _page(
    lines: list[str],
    *,
    missed: set[int],
    scale: int = 1,
    ink: int = 40,
    paper: int = 255,
) -> tuple[np.ndarray, list[Word], list[BBox]]:
    """``lines`` drawn one under another; every word of a line not in ``missed`` becomes a
    word with the box a detector gives it. Also returns each line's ink box."""
    size = SIZE * scale
    image = Image.new("L", (700 * scale, (60 + 60 * len(lines)) * scale), paper)
    draw = ImageDraw.Draw(image)
    words: list[Word] = []
    spans: list[BBox] = []
    for i, line in enumerate(lines):
        x, y = 40 * scale, (40 + 60 * i) * scale
        draw.text((x, y), line, font=font(size), fill=ink)
        spans.append(BBox(*(int(v) for v in draw.textbbox((x, y), line, font=font(size)))))
        for token in line.split():
            start = x + draw.textlength(line[: line.index(token)], font=font(size))
            x0, y0, x1, y1 = draw.textbbox((start, y), token, font=font(size))
            if i not in missed:
                words.append(
                    Word(token, BBox(int(x0) - 3, int(y0) - 4, int(x1) + 3, int(y1) + 5), 0.95)
                )
    return np.asarray(image), words, spans


def _added(gray: np.ndarray, words: list[Word], reader: glyphs.CropReader) -> list[Word]:
    return missed_lines.add_missed_lines(gray, words, reader)[len(words) :]


def test_a_line_the_detector_missed_is_read(reader: glyphs.CropReader) -> None:
    gray, words, spans = _page(LINES, missed={0})
    added = _added(gray, words, reader)
    assert " ".join(w.text for w in added) == LINES[0]
    line = spans[0]
    assert all(line.x0 - 4 <= w.bbox.x0 < w.bbox.x1 <= line.x1 + 4 for w in added)
    assert all(w.bbox.y0 <= (line.y0 + line.y1) / 2 <= w.bbox.y1 for w in added)
    assert [w.bbox.x0 for w in added] == sorted(w.bbox.x0 for w in added)
    assert min(w.confidence for w in added) >= missed_lines.TRUST


def test_a_large_page_is_looked_at_reduced_and_boxes_come_back_full_size(
    reader: glyphs.CropReader,
) -> None:
    gray, words, spans = _page(LINES, missed={2}, scale=5)
    assert gray.size > 2 * _unread.MAX_PIXELS  # looked at every 2nd pixel or more
    added = _added(gray, words, reader)
    assert " ".join(w.text for w in added) == LINES[2]
    line = spans[2]
    assert line.x0 - 20 <= added[0].bbox.x0 and added[-1].bbox.x1 <= line.x1 + 20
    assert all(line.y0 - 20 <= w.bbox.y0 <= line.y0 + 10 for w in added)
    assert all(line.y1 - 10 <= w.bbox.y1 <= line.y1 + 20 for w in added)


def test_light_print_on_a_dark_screen_is_read_too(reader: glyphs.CropReader) -> None:
    gray, words, _ = _page(LINES, missed={1}, ink=235, paper=30)
    assert " ".join(w.text for w in _added(gray, words, reader)) == LINES[1]


def test_lines_read_already_are_not_read_again(reader: glyphs.CropReader) -> None:
    gray, words, _ = _page(LINES, missed=set())
    assert _added(gray, words, reader) == []
    # boxes cut short of their letters' tops and tails leave slivers of ink, not lines
    tight = [
        Word(w.text, BBox(w.bbox.x0, w.bbox.y0 + 7, w.bbox.x1, w.bbox.y1 - 7), 0.95) for w in words
    ]
    assert _added(gray, tight, reader) == []


@pytest.mark.parametrize("marks", ["-" * 40, "*" * 30, "=" * 40, "| " * 30])
def test_rules_stars_and_bars_are_no_line_of_print(marks: str, reader: glyphs.CropReader) -> None:
    gray, words, _ = _page([LINES[0], marks, LINES[2]], missed={1})
    assert _added(gray, words, reader) == []


def test_a_dotted_row_of_stars_is_no_line_of_print(reader: glyphs.CropReader) -> None:
    # The recogniser reads stars struck as single dots as one ideograph over and over
    # ("中中中中...", 0.94): a pattern, not writing.
    gray, words, spans = _page([LINES[0], "* " * 20, LINES[2]], missed={1})
    dotted = gray.copy()
    rows, cols = np.mgrid[0 : gray.shape[0], 0 : gray.shape[1]]
    band = (rows >= spans[1].y0 - 2) & (rows < spans[1].y1 + 2)
    dotted[band & ((rows % 3 >= 1) | (cols % 3 >= 1))] = 255
    assert _added(dotted, words, reader) == []


def test_a_dark_edge_of_the_scan_does_not_hide_a_missed_line(reader: glyphs.CropReader) -> None:
    # The edge puts ink in every row; left in, the missed line's rows merge with it.
    gray, words, _ = _page(LINES, missed={0})
    edged = gray.copy()
    edged[:, :12] = 20
    assert " ".join(w.text for w in _added(edged, words, reader)) == LINES[0]


def test_the_word_missing_from_a_line_is_read_alone(reader: glyphs.CropReader) -> None:
    # Only the ink no word covers is cropped: the words read already are not read again.
    gray, words, _ = _page(LINES, missed=set())
    added = _added(gray, [w for w in words if w.text != "CAHAYA"], reader)
    assert [w.text for w in added] == ["CAHAYA"]


def test_a_blank_page_and_no_words_give_nothing(reader: glyphs.CropReader) -> None:
    assert missed_lines.add_missed_lines(np.full((60, 60), 255, np.uint8), [], reader) == []
    gray, _, _ = _page(LINES, missed={0, 1, 2})
    assert missed_lines.add_missed_lines(gray, [], reader) == []  # no print size to go by


def test_the_pipeline_reads_a_dot_matrix_name_line_the_detector_leaves_out() -> None:
    """A bold line struck as a grid of dots over a receipt's address: RapidOCR's detector
    finds no text region in it (the page read from the address on before this step)."""
    image = Image.new("L", (900, 420), 255)
    draw = ImageDraw.Draw(image)
    draw.text((120, 60), "GL HANDICRAFT & TAILORING", font=font(40), fill=0, stroke_width=1)
    pixels = np.asarray(image).copy()
    rows, cols = np.mgrid[0:130, 0 : pixels.shape[1]]
    between_dots = (rows % 5 >= 2) | (cols % 5 >= 2)
    head = pixels[:130]
    head[between_dots] = 255
    image = Image.fromarray(pixels)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(["19, JALAN KANCIL,", "OFF JALAN PUDU,", "55100 KUALA LUMPUR"]):
        draw.text((250, 140 + 50 * i), line, font=font(26), fill=40)
    options = OcrOptions(engine="rapid", extract_fields=False)
    text = pipeline.run(encode(image), options).text
    first, *rest = [line for line in text.splitlines() if line]
    assert first == "GL HANDICRAFT & TAILORING"
    assert rest[0] == "19, JALAN KANCIL,"
