"""Lone glyphs the text detector left out: the quantity column of a till receipt.

A text detector finds regions of text; a glyph standing alone ("1" or "2" in a quantity
column, far to the left of the item's name) is too small to make one, and its row reads
without it. The ink is still on the page, level with the row's words and at their size.
``add_lone_glyphs`` looks in the blank before each word on its row (up to the word to
its left, or a few heights before the row's first word) and after the row's last word,
takes runs of one to three marks of the row's print size standing on its baseline, reads
each with the engine's line recogniser and keeps a confident reading of letters and
digits as a word.
Engine-agnostic like ``colons``: it needs only an engine that reads line crops.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import cv2
import numpy as np

from masthead.ocr import _ink, _neighbours
from masthead.ocr.document import BBox, Word

REACH = 4.0
"""How far before a row's first word marks are looked for, in word box heights: a
quantity column stands two or three heights left of the item's name."""

CLEAR = 0.15
"""Blank kept clear of the word after a gap, in word heights: marks closer than that are
pieces of its letters that the box left out."""

CLEAR_BEFORE = 0.5
"""Blank kept clear of the word before a gap (or of the row's last word, before its tail),
in word heights: a box often stops short of its last letter's ink (a bold serif), and a
glyph standing alone is farther off."""

SIZE = (0.6, 1.15)
"""A glyph's height as a share of the word's ink height: digits and capitals are as tall
as the word's tallest letters; a dot, a dash or a rule is much smaller."""

WIDTH_MAX = 1.0
"""Widest mark that can be one glyph, in the word's ink heights."""

SLENDER = 0.15
"""Narrowest a glyph can be, as a share of its own height: a printed "1" has its flag; a
thinner mark is a piece of a rule or of the scan's edge."""

MIN_HEIGHT = 10
"""Fewest pixels a glyph is tall: smaller marks (stars, ticks) read as anything."""

BASELINE = 0.2
"""Most a run's bottom may stand off the word's baseline, in ink heights."""

JOIN = 0.6
"""Two marks closer than this (in ink heights) are glyphs of one run ("12")."""

MAX_RUN = 3
"""Most marks in a run: a longer run of ink is text the detector should have boxed, and
its missing is another failure than a lone glyph."""

TRUST = 0.9
"""Least confidence of the recogniser for a run's reading to be kept."""

MAX_CROPS = 200
"""Most runs read on one page, so a page of specks costs bounded time."""

PAD = 0.35
"""Paper kept around a run's ink in the crop handed to the recogniser, in ink heights."""


class CropReader(Protocol):
    """What is needed from an engine: text and confidence for RGB line crops."""

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]: ...


def add_lone_glyphs(gray: np.ndarray, words: Sequence[Word], reader: CropReader) -> list[Word]:
    """``words`` and a word for every lone glyph (or run of up to three) found beside them.

    ``gray`` is the page the words' boxes refer to (2-D, uint8, upright).
    """
    runs: list[BBox] = []
    for word, gap in _gaps(words, gray.shape[1]):
        for run in _runs_in(gray, word, gap):
            if not any(run.overlaps(other) for other in runs):
                runs.append(run)
    runs = runs[:MAX_CROPS]
    if not runs:
        return list(words)
    crops = [crop(gray, run) for run in runs]
    read = reader.read_lines(crops)
    found = [
        Word(text.strip(), run, confidence)
        for run, (text, confidence) in zip(runs, read, strict=False)
        if confidence >= TRUST and _glyphs(text.strip())
    ]
    return [*words, *found]


def _glyphs(text: str) -> bool:
    """One to three ASCII letters or digits: what a lone mark of print size can be."""
    return 1 <= len(text) <= MAX_RUN and text.isascii() and text.isalnum()


def _gaps(words: Sequence[Word], page_width: int) -> Iterator[tuple[Word, BBox]]:
    """For each word of letters or digits (it sets the print size), the blank to its left
    on its row: back to the word before it, or ``REACH`` heights before the row's first
    word; and after the row's last word, ``REACH`` heights past it (a tax code past the
    amount)."""
    for word, before, after in _neighbours.on_rows(words):
        box = word.bbox
        if sum(c.isalnum() for c in word.text) < 2:
            continue
        if before is not None:
            left = before.bbox.x1 + round(CLEAR_BEFORE * box.height)
        else:
            left = box.x0 - round(REACH * box.height)
        left, right = max(0, left), box.x0 - round(CLEAR * box.height)
        if right - left >= 0.5 * box.height:
            yield word, BBox(left, max(0, box.y0), right, box.y1)
        if after is None:
            left = box.x1 + round(CLEAR_BEFORE * box.height)
            right = min(page_width, box.x1 + round(REACH * box.height))
            if right - left >= 0.5 * box.height:
                yield word, BBox(left, max(0, box.y0), right, box.y1)


def _runs_in(gray: np.ndarray, word: Word, gap: BBox) -> list[BBox]:
    """Runs of glyph-sized marks in ``gap`` standing on ``word``'s baseline."""
    box = word.bbox
    letters = gray[max(0, box.y0) : box.y1, max(0, box.x0) : box.x1]
    region = gray[gap.y0 : gap.y1, gap.x0 : gap.x1]
    if letters.size == 0 or region.size == 0:
        return []
    threshold, dark = _ink.ink_side(letters)
    rows = np.nonzero(_ink.ink_mask(letters, threshold, dark).any(axis=1))[0]
    if rows.size == 0:
        return []
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    height = bottom - top
    if height < 4:
        return []
    marks = _ink.ink_mask(region, threshold, dark).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(marks, connectivity=8)
    glyphs = [
        BBox(int(x), int(y), int(x + w), int(y + h))
        for x, y, w, h, _ in stats[1:count].tolist()
        if SIZE[0] * height <= h <= SIZE[1] * height
        and h >= MIN_HEIGHT
        and SLENDER * h <= w <= WIDTH_MAX * height
        and y > 0
        and y + h < region.shape[0]  # a mark cut by the band is another row's
        and x > 0  # and one cut by the blank's end is part of more ink
    ]
    runs: list[list[BBox]] = []
    for glyph in sorted(glyphs, key=lambda g: g.x0):
        if runs and glyph.x0 - runs[-1][-1].x1 <= JOIN * height:
            runs[-1].append(glyph)
        else:
            runs.append([glyph])
    found = []
    for run in runs:
        outline = BBox.enclosing(run)
        if len(run) > MAX_RUN or abs(outline.y1 - bottom) > BASELINE * height:
            continue
        if region.shape[1] - outline.x1 < PAD * height:
            continue  # its crop would take in the next word's first letter
        if _crowded(stats[1:count], outline, height):
            continue
        found.append(
            BBox(gap.x0 + outline.x0, gap.y0 + outline.y0, gap.x0 + outline.x1, gap.y0 + outline.y1)
        )
    return found


def _crowded(stats: np.ndarray, outline: BBox, height: int) -> bool:
    """Other ink right beside the run (a rule, a logo, a letter the detector cut): the run
    does not stand alone."""
    reach = JOIN * height
    for x, y, w, h, area in stats.tolist():
        other = BBox(int(x), int(y), int(x + w), int(y + h))
        inside = outline.x0 <= other.x0 and other.x1 <= outline.x1
        near = other.x1 >= outline.x0 - reach and other.x0 <= outline.x1 + reach
        if near and not inside and area >= 0.05 * height * height:
            return True
    return False


def crop(gray: np.ndarray, run: BBox) -> np.ndarray:
    """The run with ``PAD`` of paper around it (in its heights), as RGB: what the
    recogniser reads (here and in ``missed_lines``)."""
    pad = max(2, round(PAD * run.height))
    crop = gray[
        max(0, run.y0 - pad) : run.y1 + pad,
        max(0, run.x0 - pad) : run.x1 + pad,
    ]
    return np.repeat(crop[:, :, None], 3, axis=2)
