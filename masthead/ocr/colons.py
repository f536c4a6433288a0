"""Colons printed on their own between a label and its value, found in the page's ink.

Receipts and forms line their labels' colons up in a column ("Cashier    :  USER",
"Total GST  :  6.58"). A text detector boxes words; a colon standing alone is two dots
too small to be a box of their own, so the line reads "Cashier USER" and the label loses
its mark. Here the gaps between the words of a row (and the space after a row's last
word) are searched for exactly that shape: two dots of about one size, one above the
other, the lower one on the row's baseline, and no other ink beside them. A colon the
recogniser read already lies inside a word's box and is never found twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from masthead.ocr import _neighbours
from masthead.ocr.document import BBox, Word

CONFIDENCE = 0.5
"""The confidence a found colon carries: its shape is sure, its being meant is not."""

INK_SHARE = 0.15
"""A pixel is ink in a gap when it is this far from the paper towards the word's ink:
colons printed by a fading thermal head are much lighter than the letters beside them.
0.3 -> 0.15 found 46 more of the dev receipts' faint colons; 0.1 adds false ones on the
check split (ADR 0050, "Faint colons")."""

MIN_CONTRAST = 40
"""Fewest grey levels between paper and the word's ink for the gap to be judged at all."""

DOT_MAX = 0.25
"""Largest side of a colon's dot, as a share of the word box's height."""

DOT_INK = 0.25
"""A dot's darkest pixel is at least this far from the paper towards the letters' ink:
specks of a grey scan are lighter than anything the printer made (0.35 lost the colons of
a fading head, a fifth as dark as its letters)."""

PAIR_MIN, PAIR_MAX = 0.15, 0.55
"""Distance between the two dots' centres, as a share of the word box's height."""

LABEL_CLEAR, VALUE_CLEAR = 0.04, 0.15
"""Least blank between a colon and the word box before it / after it, in word box
heights (and 2 pixels at least before it). A colon belongs to its label and may stand
close to it; the value starts well clear. Dots that touch a box are the ends of its
letters the box left out (the arms of an "E" a pixel past its box)."""

TAIL = 2.0
"""How far past a row's last word a colon is looked for, in word box heights."""


@dataclass(frozen=True, slots=True)
class _Dot(BBox):
    """A connected mark in a gap: its box and how many of its pixels are inked."""

    inked: int = 0


def add_lone_colons(gray: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` and a ``:`` word for every lone colon found between them.

    ``gray`` is the page the words' boxes refer to (2-D, uint8). Only the gaps a row's
    words leave are searched, so the cost grows with the words, not the page.
    """
    found: list[Word] = []
    for word, gap, closed in _gaps(words, gray.shape[1]):
        for colon in _colons_in(gray, word, gap, closed=closed):
            if not any(colon.bbox.overlaps(other.bbox) for other in found):
                found.append(colon)
    return [*words, *found]


def _gaps(words: Sequence[Word], page_width: int) -> Iterator[tuple[Word, BBox, bool]]:
    """For each word, the blank to its right on its row: up to the next word of the row
    (closed), else ``TAIL`` heights (past the row's end)."""
    for word, _, after in _neighbours.on_rows(words):
        box = word.bbox
        if not word.text.strip() or word.text.rstrip().endswith(":"):
            continue
        if after is not None and after.text.lstrip().startswith(":"):
            continue  # the recogniser read this colon (its box need not cover the ink)
        right = after.bbox.x0 if after is not None else box.x1 + round(TAIL * box.height)
        right = min(right, page_width)
        if right - box.x1 >= 0.3 * box.height:
            yield word, BBox(box.x1, max(0, box.y0), right, box.y1), after is not None


def _colons_in(gray: np.ndarray, word: Word, gap: BBox, *, closed: bool) -> list[Word]:
    box = word.bbox
    letters = gray[gap.y0 : box.y1, max(0, box.x0) : box.x1]
    region = gray[gap.y0 : gap.y1, gap.x0 + 1 : max(gap.x0 + 1, gap.x1 - 1)]
    if letters.size == 0 or region.size == 0:
        return []
    paper = float(np.percentile(region, 75))
    ink_level = float(np.percentile(letters, 3))
    if paper - ink_level < MIN_CONTRAST:
        return []
    threshold = paper - INK_SHARE * (paper - ink_level)
    baseline = _baseline(letters < threshold)
    if baseline is None:
        return []
    mask = (region < threshold).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = [
        _Dot(int(x), int(y), int(x + w), int(y + h), inked=int(a))
        for x, y, w, h, a in stats[1:count].tolist()
    ]
    height = box.height
    dark = paper - DOT_INK * (paper - ink_level)
    dots = [
        b
        for b in blobs
        if _dot_sized(b, height)
        and b.y0 > 0
        and b.y1 < region.shape[0]  # a mark cut by the band is another row's
        and region[b.y0 : b.y1, b.x0 : b.x1].min() <= dark
    ]
    colons: list[Word] = []
    for upper in dots:
        for lower in dots:
            if _a_colon(upper, lower, height, baseline) and _alone(upper, lower, blobs, height):
                x0 = gap.x0 + 1 + min(upper.x0, lower.x0)
                x1 = gap.x0 + 1 + max(upper.x1, lower.x1)
                if x0 - gap.x0 < max(2, LABEL_CLEAR * height):
                    continue  # a piece of the label's last letter, outside its box
                if closed and gap.x1 - x1 < VALUE_CLEAR * height:
                    continue  # a piece of the next word's first letter
                y0, y1 = gap.y0 + upper.y0, gap.y0 + lower.y1
                colons.append(Word(":", BBox(x0, y0, x1, y1), CONFIDENCE))
    return colons


def _baseline(ink: np.ndarray) -> int | None:
    """The row (from the top of the word's box) where most of its letters stand."""
    rows = ink.sum(axis=1)
    if rows.max(initial=0) == 0:
        return None
    inked = np.nonzero(rows >= 0.25 * rows.max())[0]
    return int(inked[-1])


def _dot_sized(blob: _Dot, height: int) -> bool:
    """About square and filled, at least 2 pixels inked: not a speck, not a sliver of a
    letter or a rule. On a small scan a colon's dot is 1 pixel by 2; its pair (one above
    the other, the lower on the baseline, nothing near) is what tells it from a speck."""
    w, h = blob.width, blob.height
    largest = DOT_MAX * height
    return (
        w <= largest and h <= largest and 0.5 <= w / h <= 2.0 and blob.inked >= max(2, 0.5 * w * h)
    )


def _a_colon(upper: _Dot, lower: _Dot, height: int, baseline: int) -> bool:
    """Two dots, one above the other, the lower one on the baseline."""
    apart = lower.center[1] - upper.center[1]
    if not PAIR_MIN * height <= apart <= PAIR_MAX * height:
        return False
    if abs(upper.center[0] - lower.center[0]) > max(2.0, 0.12 * height):
        return False
    for a, b in (
        (upper.width, lower.width),
        (upper.height, lower.height),
    ):
        if abs(a - b) > max(1, 0.5 * max(a, b)):
            return False  # the two dots of a colon are one size
    return abs(lower.y1 - baseline) <= 0.15 * height


def _alone(upper: _Dot, lower: _Dot, blobs: Sequence[_Dot], height: int) -> bool:
    """No other ink near the pair: a colon stands apart; dots beside other marks are the
    pieces of a letter or a line the detector missed."""
    reach = 0.35 * height
    for blob in blobs:
        if blob in (upper, lower):
            continue
        if (
            blob.x1 >= upper.center[0] - reach
            and blob.x0 <= upper.center[0] + reach
            and blob.inked >= 2
        ):
            return False
    return True
