"""Lone colons between a label and its value: found in the ink, never invented.

The words are given with the boxes they were drawn at, so each case is about the finder
alone; the last test reads a drawn form through the real engine and pipeline.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from masthead.ocr import colons, pipeline
from masthead.ocr.document import BBox, Word
from masthead.ocr.options import OcrOptions
from tests.ocr.drawing import encode, font

SIZE = 28


def _page(
    parts: list[tuple[str, int, int]], *, colon_ink: int = 40, width: int = 900
) -> tuple[np.ndarray, list[Word]]:
    """``parts`` (text, x, y) drawn; every part but a lone ``:`` becomes a word with the box
    a detector would give it (the ink's box, a few pixels larger)."""
    image = Image.new("L", (width, 120 + max(y for _, _, y in parts)), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for text, x, y in parts:
        ink = colon_ink if text == ":" else 40
        draw.text((x, y), text, font=font(SIZE), fill=ink)
        if text != ":":
            x0, _, x1, _ = draw.textbbox((x, y), text, font=font(SIZE))
            top, bottom = y - 2, y + int(SIZE * 1.25)
            words.append(Word(text, BBox(int(x0) - 3, top, int(x1) + 3, bottom), 0.95))
    return np.asarray(image), words


def _texts(gray: np.ndarray, words: list[Word]) -> list[str]:
    found = colons.add_lone_colons(gray, words)
    return [
        w.text for w in sorted(found, key=lambda w: ((w.bbox.y0 + w.bbox.y1) // 120, w.bbox.x0))
    ]


@pytest.mark.parametrize("ink", [40, 150])  # a fading print head leaves the colon light
def test_a_colon_standing_between_label_and_value_is_found(ink: int) -> None:
    gray, words = _page(
        [("Cashier", 40, 40), (":", 330, 40), ("USER", 420, 40), ("Total", 40, 100),
         (":", 330, 100), ("6.58", 420, 100)],
        colon_ink=ink,
    )  # fmt: skip
    assert _texts(gray, words) == ["Cashier", ":", "USER", "Total", ":", "6.58"]
    colon = next(w for w in colons.add_lone_colons(gray, words) if w.text == ":")
    assert 325 <= colon.bbox.x0 <= colon.bbox.x1 <= 345
    assert colon.confidence == colons.CONFIDENCE


def test_a_faint_colon_of_two_pixel_dots_on_a_small_scan_is_found() -> None:
    """A fading head on a low-resolution scan leaves a colon as two faint marks of 1 x 2
    pixels: their pair, one above the other with the lower on the baseline, is a colon."""
    gray, words = _page([("Discount", 40, 40), (":", 330, 40), ("0.00", 420, 40)])
    page = gray.copy()
    colon = page[:, 320:350] < 200
    count, _, stats, _ = cv2.connectedComponentsWithStats(colon.astype(np.uint8))
    page[:, 320:350] = 255
    for x, y, w, h, _ in stats[1:count].tolist():
        page[y + h // 2 - 1 : y + h // 2 + 1, 320 + x + w // 2] = 190  # 1 x 2 pixels, faint
    assert count == 3  # the colon's two dots were replaced
    assert _texts(page, words) == ["Discount", ":", "0.00"]
    one_dot = page.copy()
    one_dot[:, 320:350] = 255
    one_dot[60:62, 335] = 190  # a lone faint mark is a speck
    assert _texts(one_dot, words) == ["Discount", "0.00"]


def test_a_colon_after_the_last_word_of_a_row_is_found() -> None:
    gray, words = _page([("Salesperson", 40, 40), (":", 260, 40)])
    assert _texts(gray, words) == ["Salesperson", ":"]


@pytest.mark.parametrize(
    "marks",
    [
        ["="],  # two bars, not two dots
        [";"],  # a dot over a comma
        ["."],  # one dot
        ["·  ·"],  # dots side by side
        ["i"],  # a dot over a stem
    ],
)
def test_other_marks_in_the_gap_are_not_colons(marks: list[str]) -> None:
    parts = [("Total", 40, 40), ("6.58", 420, 40)]
    parts += [(mark, 330, 40) for mark in marks]
    gray, words = _page(parts)
    words = [w for w in words if w.text in {"Total", "6.58"}]  # the mark was not detected
    assert _texts(gray, words) == ["Total", "6.58"]


def test_a_colon_the_recogniser_read_is_not_found_twice() -> None:
    gray, words = _page([("Total", 40, 40), (":", 330, 40), ("6.58", 420, 40)])
    read = Word(":", BBox(322, 40, 336, 75), 0.9)  # its box a little off the ink
    assert _texts(gray, [*words, read]) == ["Total", ":", "6.58"]
    joined, _ = _page([("Total:", 40, 40), ("6.58", 420, 40)])
    assert _texts(joined, [Word("Total:", BBox(37, 38, 130, 75), 0.9)]) == ["Total:"]


def test_dots_touching_a_word_are_pieces_of_its_letters() -> None:
    gray, words = _page([("Total", 40, 40), (":", 330, 40), ("6.58", 420, 40)])
    value = next(w for w in words if w.text == "6.58")
    wide = Word("6.58", BBox(338, value.bbox.y0, value.bbox.x1, value.bbox.y1), 0.9)
    assert _texts(gray, [words[0], wide]) == ["Total", "6.58"]


def test_the_arm_ends_of_a_letter_past_its_box_are_no_colon() -> None:
    """Small print: the box of "GE" stops a pixel short of the "E", whose three arm ends
    stand in the gap one above the other, the lowest on the baseline."""
    image = Image.new("RGB", (900, 280), "white")
    draw = ImageDraw.Draw(image)
    for i, name in enumerate(["HONEY SOFT TOAST", "XIAO GE GE", "EGG TART"]):
        for x, text in ((40, "1"), (130, name), (700, "3.30")):
            draw.text((x, 40 + 60 * i), text, font=font(16), fill=(40, 40, 40))
    doc = pipeline.run(encode(image), OcrOptions(engine="rapid", extract_fields=False))
    assert ":" not in doc.text
    assert "XIAO GE GE" in " ".join(doc.text.split())


def test_specks_and_a_blank_page_give_nothing() -> None:
    rng = np.random.default_rng(7)
    gray, words = _page([("Total", 40, 40), ("6.58", 420, 40)])
    noisy = gray.copy()
    ys, xs = rng.integers(40, 75, 60), rng.integers(160, 400, 60)
    noisy[ys, xs] = 120  # single-pixel specks: never a dot
    assert _texts(noisy, words) == ["Total", "6.58"]
    assert colons.add_lone_colons(np.full((50, 50), 255, np.uint8), []) == []


def test_the_pipeline_keeps_the_colons_of_a_drawn_form() -> None:
    """RapidOCR leaves a lone colon out of its boxes; the page's text has it."""
    image = Image.new("RGB", (900, 220), "white")
    draw = ImageDraw.Draw(image)
    for i, (label, value) in enumerate([("Cashier", "USER"), ("Discount", "0.00")]):
        y = 40 + 70 * i
        draw.text((40, y), label, font=font(SIZE), fill=(40, 40, 40))
        draw.text((330, y), ":", font=font(SIZE), fill=(150, 150, 150))
        draw.text((420, y), value, font=font(SIZE), fill=(40, 40, 40))
    doc = pipeline.run(encode(image), OcrOptions(engine="rapid", extract_fields=False))
    assert doc.text.split() == ["Cashier", ":", "USER", "Discount", ":", "0.00"]
