"""Whole lines of print the text detector left out, read by the line recogniser.

A dot-matrix printer strikes bold text as separate dots; at the size the detector sees the
page, the dots of such a line ("GL HANDICRAFT & TAILORING" over a receipt's address) may
not join into a region of text at all, and the row is simply absent from the reading
although the recogniser reads a crop of it well. ``add_missed_lines`` finds rows of ink no
word covers that are shaped like a line of print (``_unread.text_rows``: as tall as the
page's print, several times wider than tall), reads each with the engine's line
recogniser and keeps a confident reading made mostly of letters and digits.

A rule, a barcode or a row of stars reads as nothing, as marks or at low confidence, and
is left out. Engine-agnostic like ``glyphs``: it needs only an engine that reads crops.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np

from masthead.ocr import _ink, _unread, glyphs
from masthead.ocr.document import BBox, Word
from masthead.ocr.glyphs import CropReader

TRUST = 0.9
"""Least confidence of the recogniser for a line's reading to be kept."""

LETTERS = 0.5
"""Least share of a reading's characters (spaces aside) that are letters or digits."""

MIN_LETTERS = 3
"""Fewest letters or digits in a kept reading: one or two are glyphs' work, or specks."""

REPEATS = 6
"""Fewest letters in a reading for ``VARIETY`` to judge it."""

VARIETY = 1 / 3
"""Fewest distinct letters or digits per letter of a kept reading: fewer is a pattern."""

FRAME = 3.0
"""Ink taller than this many print heights is no part of a line (an edge, a logo, a rule)."""

MAX_LINES = 30
"""Most rows read on one page, so a page of noise costs bounded time."""

CLASH = 0.25
"""A row overlapping a word read already by more than this share of the shorter height is
that word's own ink (a bold title's letters reaching past its box), not a missed line."""

BRIDGE = 0.1
"""Blank rows bridged inside a line of ink, in the print's heights (between dot rows)."""

MAX_DENSITY = 0.5
"""Most ink a row may hold: more is a dark panel or a photo, not print."""


def add_missed_lines(gray: np.ndarray, words: Sequence[Word], reader: CropReader) -> list[Word]:
    """``words`` and the words of every line of print no word covers.

    ``gray`` is the page the words' boxes refer to (2-D, uint8, upright).
    """
    # The detector's words set the print size; one-glyph words (colons, lone glyphs) are
    # boxed tight around their ink and would pull it down.
    heights = [w.bbox.height for w in words if w.bbox.height > 0 and len(w.text) > 1]
    if not heights or gray.size == 0:
        return list(words)
    rows = _missed_rows(gray, words, float(np.median(heights)))[:MAX_LINES]
    if not rows:
        return list(words)
    read = reader.read_lines([glyphs.crop(gray, row) for row in rows])
    found: list[Word] = []
    for row, (text, confidence) in zip(rows, read, strict=False):
        if confidence >= TRUST and _print(text.strip()):
            found += _words_of(text.strip(), row, confidence)
    return [*words, *found]


def _missed_rows(gray: np.ndarray, words: Sequence[Word], typical: float) -> list[BBox]:
    """Boxes of the text-shaped rows of ink that no word covers, top to bottom.

    A large page is looked at reduced by ``step`` (each pixel the mean of a block, past
    ``_unread.MAX_PIXELS``): a line of print stays several pixels tall, and the masks stay
    small beside the page.
    """
    step = max(1, math.ceil(math.sqrt(gray.size / _unread.MAX_PIXELS)))
    small = gray
    if step > 1:
        size = (max(1, gray.shape[1] // step), max(1, gray.shape[0] // step))
        small = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    threshold, dark = _ink.ink_side(small)
    ink = _ink.ink_mask(small, threshold, dark)
    free = _without_frame(ink, typical / step)
    _unread.blank_words(free, words, step)
    # Dot-matrix print leaves blank pixel rows between its rows of dots: bridge them.
    reach = max(1, round(BRIDGE * typical / step))
    bridged = cv2.dilate(free.view(np.uint8), np.ones((2 * reach + 1, 1), np.uint8)) > 0
    rows: list[BBox] = []
    for top, bottom in _unread.text_rows(bridged, typical / step):
        cols = np.flatnonzero(free[top:bottom].any(axis=0))
        if ink[top:bottom, cols[0] : cols[-1] + 1].mean() > MAX_DENSITY:
            continue  # a dark panel or a photo
        row = BBox(int(cols[0]) * step, top * step, (int(cols[-1]) + 1) * step, bottom * step)
        if not any(_clashes(row, word.bbox) for word in words):
            rows.append(row)
    return rows


def _without_frame(ink: np.ndarray, typical: float) -> np.ndarray:
    """``ink`` less its pieces that touch the page's edge or stand taller than three lines
    of print: a scan's dark edge, the table under a photographed receipt, a logo or a
    rule down the page. Left in, one of them puts ink in every row it spans, and the rows
    of a missed line merge with it into one band far too tall to be a line."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8), connectivity=8)
    height, width = ink.shape
    x, y, w, h = (stats[:, k] for k in range(4))
    frame = (x == 0) | (y == 0) | (x + w >= width) | (y + h >= height) | (h > FRAME * typical)
    frame[0] = False  # label 0 is the paper
    return ink & ~frame[labels] if frame.any() else ink.copy()


def _clashes(row: BBox, box: BBox) -> bool:
    across = min(row.x1, box.x1) - max(row.x0, box.x0)
    down = min(row.y1, box.y1) - max(row.y0, box.y0)
    return across > 0 and down > CLASH * min(row.height, box.height)


def _print(text: str) -> bool:
    """Mostly letters and digits, and varied: what a line of print reads as. A rule or bars
    read as marks; a row of dotted stars or crosses reads as one ideograph over and over
    ("十十十十", "中中中中"), which writing never is."""
    marks = text.replace(" ", "")
    letters = [ch for ch in marks if ch.isalnum()]
    if len(letters) < MIN_LETTERS or len(letters) < LETTERS * len(marks):
        return False
    return len(letters) < REPEATS or len(set(letters)) > VARIETY * len(letters)


def _words_of(text: str, row: BBox, confidence: float) -> list[Word]:
    """The reading's words, each given the share of the row's width its characters take."""
    words: list[Word] = []
    end = 0
    for token in text.split():
        start = text.index(token, end)
        end = start + len(token)
        x0 = row.x0 + row.width * start // len(text)
        x1 = max(row.x0 + row.width * end // len(text), x0 + 1)
        words.append(Word(token, BBox(x0, row.y0, x1, row.y1), confidence))
    return words
