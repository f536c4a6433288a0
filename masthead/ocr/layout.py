"""Words -> lines -> blocks in reading order.

Placeholder until the layout analysis lands: lines are built by vertical overlap and read
top to bottom, left to right; a vertical gap larger than a line height starts a new block.
Contract: ``arrange(words, size)`` returns blocks in reading order, and every input word
appears in exactly one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from masthead.ocr.document import BBox, Block, Line, Word


def arrange(words: Sequence[Word], size: tuple[int, int]) -> tuple[Block, ...]:
    """Blocks of ``words`` on a page of ``size`` (width, height) pixels."""
    lines = _lines(words)
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks and line.bbox.y0 - blocks[-1][-1].bbox.y1 <= line.bbox.height:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return tuple(Block(tuple(group), BBox.enclosing(x.bbox for x in group)) for group in blocks)


def _lines(words: Sequence[Word]) -> list[Line]:
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bbox.center[1], w.bbox.x0)):
        if rows and _same_row(rows[-1], word):
            rows[-1].append(word)
        else:
            rows.append([word])
    return [Line.from_words(sorted(row, key=lambda w: w.bbox.x0)) for row in rows]


def _same_row(row: list[Word], word: Word) -> bool:
    box = BBox.enclosing(w.bbox for w in row)
    overlap = min(box.y1, word.bbox.y1) - max(box.y0, word.bbox.y0)
    return overlap > 0.5 * min(box.height, word.bbox.height)
