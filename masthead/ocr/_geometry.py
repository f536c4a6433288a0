"""Geometry helpers for layout: line segments in deskewed page coordinates.

Private to the library: ``layout`` and ``_blocks`` use these; nothing else should.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from masthead.ocr.document import Word

Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Seg:
    """Words of one visual line segment, with each word's deskewed box."""

    words: tuple[Word, ...]
    x0: float
    y0: float
    x1: float
    y1: float
    boxes: tuple[Box, ...] = ()

    def __post_init__(self) -> None:
        if not self.boxes:
            object.__setattr__(self, "boxes", ((self.x0, self.y0, self.x1, self.y1),))

    @property
    def height(self) -> float:
        """Median word height: robust to one tall glyph or a merged neighbour."""
        return max(statistics.median(b[3] - b[1] for b in self.boxes), 1.0)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def last(self) -> Seg:
        x0, y0, x1, y1 = self.boxes[-1]
        return Seg(self.words[-1:], x0, y0, x1, y1)

    def v_overlap(self, other: Seg) -> float:
        return min(self.y1, other.y1) - max(self.y0, other.y0)

    def joined(self, other: Seg) -> Seg:
        return Seg(
            self.words + other.words,
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
            self.boxes + other.boxes,
        )


@dataclass(frozen=True, slots=True)
class Gutter:
    """Vertical whitespace between ``x0`` and ``x1`` that no segment crosses."""

    x0: float
    x1: float


def median_height(segs: Sequence[Seg]) -> float:
    return statistics.median(s.height for s in segs) if segs else 1.0


def gutters(segs: Sequence[Seg], min_width: float, factor: float = 0.0) -> list[Gutter]:
    """Gaps in the x-projection of the words of ``segs``, left to right.

    A gap counts when it is at least ``min_width`` wide and at least ``factor`` times the
    taller of the two words beside it, so a word space in a large title is not a gutter.
    Word boxes, not whole segments, are projected: two columns whose lines happen to be
    chained across a narrow gutter still leave the gutter empty on every other row.
    """
    spans = sorted(span for s in segs for span in _spans(s))
    found: list[Gutter] = []
    if not spans:
        return found
    reach, reach_height = spans[0][1], spans[0][2]
    for x0, x1, height in spans[1:]:
        if x0 - reach >= max(min_width, factor * max(height, reach_height)):
            found.append(Gutter(reach, x0))
        if x1 > reach:
            reach, reach_height = x1, height
    return found


def _spans(seg: Seg) -> list[tuple[float, float, float]]:
    """(x0, x1, height) runs of ``seg``'s words, joined across its ordinary word spaces.

    A gap inside a chained line is a gutter candidate only when it is at least twice the
    line's median word space: a bold title's spaces can reach 0.6 of its word height, and
    a lone title line must not look like two columns; a line chained across a narrow
    column gutter still shows the gutter as its one outstanding gap.
    """
    boxes = sorted(seg.boxes)
    gaps = [b[0] - a[2] for a, b in itertools.pairwise(boxes)]
    ordinary = 2 * statistics.median(gaps) if len(gaps) >= 2 else math.inf
    runs = [[boxes[0][0], boxes[0][2], boxes[0][3] - boxes[0][1]]]
    for box, gap in zip(boxes[1:], gaps, strict=True):
        height = box[3] - box[1]
        if gap < ordinary:
            run = runs[-1]
            run[1], run[2] = max(run[1], box[2]), max(run[2], height)
        else:
            runs.append([box[0], box[2], height])
    return [(x0, x1, h) for x0, x1, h in runs]


def split_at(seg: Seg, cuts: Sequence[Gutter]) -> list[Seg]:
    """``seg`` cut into pieces, one per column between the gutters ``cuts``."""
    pieces: dict[int, list[int]] = {}
    for i, box in enumerate(seg.boxes):
        centre = (box[0] + box[2]) / 2
        pieces.setdefault(sum(1 for g in cuts if centre >= g.x1), []).append(i)
    if len(pieces) == 1:
        return [seg]
    out: list[Seg] = []
    for index in sorted(pieces):
        boxes = tuple(seg.boxes[i] for i in pieces[index])
        out.append(
            Seg(
                tuple(seg.words[i] for i in pieces[index]),
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
                boxes,
            )
        )
    return out


def column_of(seg: Seg, cuts: Sequence[Gutter]) -> int:
    return sum(1 for g in cuts if seg.cx >= g.x1)
