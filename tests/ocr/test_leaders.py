"""Dot leaders: counted in the ink between two words of a row.

The unit tests draw one row and give its words the boxes a detector would; the last tests
read drawn pages through the whole pipeline with the real engine.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from masthead.ocr import leaders, pipeline
from masthead.ocr.document import BBox, Word
from masthead.ocr.options import OcrOptions
from tests.ocr.drawing import encode, font

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
SANS = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"


def _row(text: str, boxed: list[str], *, rule: bool = False) -> tuple[np.ndarray, list[Word]]:
    """``text`` drawn on one row in a 24 px monospaced face; each part in ``boxed`` (a
    slice of the text, found left to right) becomes a word with its ink's box."""
    face = ImageFont.truetype(MONO, 24)
    image = Image.new("L", (900, 90), 255)
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), text, font=face, fill=30)
    if rule:  # a dashed rule just under the row, as receipts print between table rows
        for x in range(30, 860, 9):
            draw.rectangle((x, 58, x + 5, 59), fill=30)
    words, at = [], 0
    for part in boxed:
        start = text.index(part, at)
        at = start + len(part)
        x0 = 30 + draw.textlength(text[:start], font=face)
        x1 = 30 + draw.textlength(text[:at], font=face)
        words.append(Word(part, BBox(round(x0), 32, round(x1), 60), 0.95))
    return np.asarray(image), words


def test_the_dots_after_a_word_ending_in_a_stop_join_it() -> None:
    gray, words = _row("TOTAL AMT.............. RM 60.31", ["TOTAL", "AMT....", "RM", "60.31"])
    assert [w.text for w in leaders.add_leaders(gray, words)] == [
        "TOTAL",
        "AMT..............",
        "RM",
        "60.31",
    ]


def test_a_leader_the_detector_left_out_becomes_a_word_of_its_own() -> None:
    gray, words = _row("Introduction ................ 3", ["Introduction", "3"])
    found = leaders.add_leaders(gray, words)
    assert [w.text for w in found] == ["Introduction", "3", "." * 16]
    introduction, page_number, leader = found
    assert introduction.bbox.x1 < leader.bbox.x0 < leader.bbox.x1 < page_number.bbox.x0
    assert leader.bbox.y0 == introduction.bbox.y0  # as tall as the row's print


def test_a_stop_read_into_the_value_goes_back_to_the_leader() -> None:
    gray, words = _row("Introduction ................ 3", ["Introduction", ". 3"])
    words[1] = Word(".3", words[1].bbox, 0.9)  # the recogniser's reading, space dropped
    found = sorted(leaders.add_leaders(gray, words), key=lambda w: w.bbox.x0)
    assert [w.text for w in found] == ["Introduction", "." * 16, "3"]


def test_a_word_of_dots_alone_takes_the_print_size_of_its_row() -> None:
    gray, words = _row("Newsletters ......................... 26", ["Newsletters", "....", "26"])
    found = sorted(leaders.add_leaders(gray, words), key=lambda w: w.bbox.x0)
    assert [w.text for w in found] == ["Newsletters", "." * 25, "26"]  # "....": counted


@pytest.mark.parametrize(
    ("text", "boxed"),
    [
        ("Subtotal      12.00", ["Subtotal", "12.00"]),  # a plain blank
        ("Subtotal  .  ..     .  12.00", ["Subtotal", "12.00"]),  # uneven specks
        ("Subtotal  ..  12.00", ["Subtotal", "12.00"]),  # too few
        ("Subtotal  -------- 12.00", ["Subtotal", "12.00"]),  # a dash leader is not dots
    ],
)
def test_what_is_not_a_dot_leader_is_left_alone(text: str, boxed: list[str]) -> None:
    gray, words = _row(text, boxed)
    assert leaders.add_leaders(gray, words) == words


def test_a_dashed_rule_under_the_row_is_no_leader() -> None:
    gray, words = _row("Price      Amount", ["Price", "Amount"], rule=True)
    assert leaders.add_leaders(gray, words) == words


def _contents(face_path: str, size: int) -> tuple[bytes, list[str]]:
    entries = [("Introduction", 3), ("Getting started", 7), ("Writing your first post", 12)]
    face = ImageFont.truetype(face_path, size)
    image = Image.new("RGB", (900, 60 + len(entries) * int(size * 1.8)), "white")
    draw = ImageDraw.Draw(image)
    lines = []
    for row, (title, page) in enumerate(entries):
        dots = 3
        while draw.textlength(f"{title} {'.' * (dots + 1)} {page}", font=face) < 700:
            dots += 1
        lines.append(f"{title} {'.' * dots} {page}")
        draw.text((40, 30 + row * int(size * 1.8)), lines[-1], fill="black", font=face)
    return encode(image), lines


@pytest.mark.parametrize(("face_path", "size"), [(MONO, 18), (SANS, 24)])
def test_a_table_of_contents_keeps_its_leaders(face_path: str, size: int) -> None:
    # without the leaders the page read as "Introduction 3", or with a few stray dots:
    # CER 0.6-0.8, as the dots are most of its characters
    page, lines = _contents(face_path, size)
    doc = pipeline.run(page, OcrOptions(engine="rapid"))
    read = [" ".join(line.split()) for line in doc.text.splitlines() if line.strip()]
    assert len(read) == len(lines)
    for got, printed in zip(read, lines, strict=True):
        assert Levenshtein.distance(got, printed) <= 0.02 * len(printed), got


def test_a_receipt_total_line_keeps_its_leader() -> None:
    image = Image.new("RGB", (700, 200), "white")
    draw = ImageDraw.Draw(image)
    lines = ["TOTAL AMT................. RM 60.31", "CASH...................... RM 70.30"]
    for row, line in enumerate(lines):
        draw.text((30, 40 + 50 * row), line, fill="black", font=font(22))
    doc = pipeline.run(encode(image), OcrOptions(engine="rapid"))
    read = [" ".join(line.split()) for line in doc.text.splitlines() if line.strip()]
    assert read == lines  # before: "TOTAL AMT....... RM 60.31", the rest of the dots lost
