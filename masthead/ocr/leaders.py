"""Dot leaders: the run of dots between a label and its value ("TOTAL AMT....... RM 60.31").

The detector's box often stops partway along such a run, or leaves it out (a table of
contents read as "Introduction 3"), and the recogniser reads the dots inside a box, or one;
the rest stay on the page, unread, and the text loses them. A blank between two words of a
row that holds a regular run of dots on their baseline gets those dots, counted one by one
in the ink. A lone speck, a dash or a letter in the blank is no leader: the run must hold
``MIN_DOTS`` marks of a dot's size at an even step, and ends at the first other mark.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import cv2
import numpy as np

from masthead.ocr import _ink, _neighbours
from masthead.ocr.document import BBox, Word

MIN_DOTS = 3
"""Fewest dots in the blank for them to be a leader."""

DOT_SIZE = 0.4
"""Largest height and width of a dot, in the print height (a thermal stop is 0.25-0.35)."""

STEP = 0.35
"""Most a step between two dots may differ from the run's median step (a share of it)."""

FIRST_STEP = 2.0
"""Farthest a run may stand from the word it joins, in its steps between dots."""

ROUND = 1.6
"""Widest a dot may be for its height; a dashed or dotted rule's pieces are flatter."""

BASE_INK = 0.3
"""The baseline is the lowest row of the word's box holding this share of its most inked
row's ink: below it only descenders ("p", "g") reach."""

BASELINE = 0.25
"""Farthest a dot's foot may stand from the word's baseline, in print heights."""


def add_leaders(gray: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with the leader dots found between two words of a row that hold a letter
    or digit, counted in the ink (the recogniser's own words of dots there, which often
    miscount them, give way to the count): joined to the word before when it ends in a
    stop and the run starts right after it ("AMT......."), else a word of their own
    ("Introduction ........ 3"). Either takes the stops the word after starts with when
    the run ends right before it (".3"). ``gray`` is the page the words' boxes refer to (2-D,
    uint8, upright)."""
    tails: dict[int, tuple[list[BBox], int]] = {}  # the run, and the stops taken after it
    dropped: set[int] = set()
    word_text: dict[int, str] = {}  # words whose dots were counted in the run, without them
    alone: list[Word] = []
    for word, after, between in _pairs(words):
        # through a word ending in a stop: the recogniser miscounts the dots in its box too
        stop = word.text.endswith(".")
        found = _dots_between(gray, word, word.bbox.x0 if stop else word.bbox.x1, after.bbox.x0)
        inside = [d for d in found if d.x0 < word.bbox.x1]
        dots = found[len(inside) :]
        if not dots or len(found) < MIN_DOTS:
            continue
        dropped.update(id(w) for w in between)
        step = (found[-1].x0 - found[0].x0) / (len(found) - 1)
        # the recogniser often reads the last dots into the value (".12"): they are the
        # leader's, and the value keeps only what follows them
        taken = 0
        if after.text.startswith(".") and after.bbox.x0 - dots[-1].x1 <= FIRST_STEP * step:
            rest = after.text.lstrip(".")
            taken = len(after.text) - len(rest)
            word_text[id(after)] = rest
        if stop and (inside or dots[0].x0 - word.bbox.x1 <= FIRST_STEP * step):
            tails[id(word)] = (found, taken)
            if inside:
                word_text[id(word)] = word.text.rstrip(".")
        else:
            run = BBox.enclosing(dots)  # as tall as the row's print, as a word is
            box = BBox(run.x0, word.bbox.y0, run.x1, word.bbox.y1)
            alone.append(Word("." * (len(dots) + taken), box, word.confidence))
    out = []
    for word in words:
        if id(word) in dropped:
            continue
        tail, taken = tails.get(id(word), ([], 0))
        text = word_text.get(id(word), word.text) + "." * (len(tail) + taken)
        if text != word.text:
            word = Word(text, BBox.enclosing([word.bbox, *tail]), word.confidence)
        out.append(word)
    return [*out, *alone]


def _pairs(words: Sequence[Word]) -> Iterator[tuple[Word, Word, list[Word]]]:
    """``(word, after, between)``: each word with a letter or digit, the next such word on
    its row, and the words of dots alone between them."""
    following = {id(w): after for w, _before, after in _neighbours.on_rows(words)}
    for word in words:
        if not _lettered(word):
            continue
        between: list[Word] = []
        after = following.get(id(word))
        while after is not None and not _lettered(after) and len(between) < len(words):
            if set(after.text) != {"."}:
                break
            between.append(after)
            after = following.get(id(after))
        if after is not None and _lettered(after):
            yield word, after, between


def _lettered(word: Word) -> bool:
    return any(char.isalnum() for char in word.text)


def _dots_between(gray: np.ndarray, print_of: Word, left: int, right: int) -> list[BBox]:
    """The run of leader dots from ``left`` to ``right`` on ``print_of``'s row (page
    coordinates): after the last other mark inside ``print_of``'s box, up to the first one
    past it; [] if it is not a leader."""
    box = print_of.bbox
    letters = gray[max(0, box.y0) : box.y1, max(0, box.x0) : box.x1]
    region = gray[max(0, box.y0) : box.y1, max(0, left) : max(0, right)]
    if letters.size == 0 or region.size == 0:
        return []
    threshold, dark = _ink.ink_side(letters)
    per_row = _ink.ink_mask(letters, threshold, dark).sum(axis=1)
    rows = np.nonzero(per_row)[0]
    if rows.size == 0:
        return []
    # the baseline: the lowest row well inked (a descender's few pixels lie below it)
    bottom = int(np.nonzero(per_row >= BASE_INK * per_row.max())[0][-1]) + 1
    top = int(rows[0])
    height = bottom - top
    if height < 6:
        return []
    marks = _ink.ink_mask(region, threshold, dark).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(marks, connectivity=8)
    dots: list[BBox] = []
    for x, y, w, h, _area in sorted(stats[1:count].tolist()):
        if x == 0 or x + w == region.shape[1]:
            continue  # a letter's edge the word's box cut off, not a mark of the blank
        mark = BBox(int(x), int(y), int(x + w), int(y + h))
        round_ = h >= 2 and w <= ROUND * h  # a dashed rule's pieces are flat
        on_line = abs(mark.y1 - bottom) <= BASELINE * height
        dot = round_ and on_line and max(w, h) <= DOT_SIZE * height
        if dot:
            dots.append(mark)
        elif x + w <= box.x1 - left:
            dots = []  # a letter of the word: the run starts after it
        else:
            break  # a leader runs up to the next word: other ink ends it
    if len(dots) < MIN_DOTS:
        return []
    steps = [b.x0 - a.x0 for a, b in itertools.pairwise(dots)]
    median = float(np.median(steps))
    if median <= 0 or any(abs(step - median) > STEP * median for step in steps):
        return []
    x0, y0 = max(0, left), max(0, box.y0)
    return [BBox(x0 + d.x0, y0 + d.y0, x0 + d.x1, y0 + d.y1) for d in dots]
