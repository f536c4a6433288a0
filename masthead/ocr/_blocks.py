"""Runs of rows -> Blocks: paragraphs, headings and tables.

Private helper of ``layout``: it receives rows already in reading order and decides
where one block ends and the next begins, which rows are headings, and how a grid of
cells becomes ``Block.rows``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from masthead.ocr._geometry import Seg, median_height
from masthead.ocr.document import BBox, Block, Cell, Line, Word

HEADING_RATIO = 1.18
"""A run of rows this much taller than the body text is a heading."""


@dataclass
class Group:
    """Rows (each a list of segments, left to right) read as one run.

    ``table`` holds the column bounds when the run is a grid read row by row;
    ``columns`` is set when the run is one column of prose read column by column.
    """

    rows: list[list[Seg]]
    table: list[tuple[float, float]] | None = None
    columns: bool = False
    body_height: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def build(group: Group, body_height: float) -> list[Block]:
    """Blocks for one run, in order."""
    rows = [row for row in group.rows if row]
    if not rows:
        return []
    if group.table is not None and len(rows) >= 2:
        return [_table(rows, group.table)]
    return [_text_block(chunk, body_height) for chunk in _paragraphs(rows, body_height)]


def _line(row: list[Seg]) -> Line:
    return Line.from_words(right_to_left([w for seg in row for w in seg.words]))


def _rtl(char: str) -> bool:
    point = ord(char)
    return (
        0x0590 <= point <= 0x08FF or 0xFB1D <= point <= 0xFDFF or 0xFE70 <= point <= 0xFEFF
    ) and char.isalpha()


def right_to_left(words: list[Word]) -> list[Word]:
    """A visual row of ``words`` (left to right) in reading order: reversed when most of
    its letters are Hebrew or Arabic (each word's own text is already in logical order)."""
    letters = [ch for w in words for ch in w.text if ch.isalpha()]
    if letters and sum(map(_rtl, letters)) > len(letters) / 2:
        return words[::-1]
    return words


def _row_height(row: list[Seg]) -> float:
    return median_height(row)


def _paragraphs(rows: list[list[Seg]], body: float) -> list[list[list[Seg]]]:
    """Split rows where the gap grows, the text height changes or a first line is indented."""
    gaps = [rows[i][0].y0 - max(s.y1 for s in rows[i - 1]) for i in range(1, len(rows))]
    usual = statistics.median(gaps) if gaps else 0.0
    left = min(seg.x0 for row in rows for seg in row)
    chunks: list[list[list[Seg]]] = [[rows[0]]]
    for i in range(1, len(rows)):
        prev, row = rows[i - 1], rows[i]
        height, prev_height = _row_height(row), _row_height(prev)
        big_gap = gaps[i - 1] > max(usual * 1.6, usual + 0.5 * body)
        resized = max(height, prev_height) > HEADING_RATIO * min(height, prev_height)
        indent = row[0].x0 - left
        indented = 1.0 * height < indent < 8 * height and prev[0].x0 - left < 0.5 * height
        if big_gap or resized or indented:
            chunks.append([row])
        else:
            chunks[-1].append(row)
    return chunks


def _text_block(rows: list[list[Seg]], body: float) -> Block:
    lines = tuple(_line(row) for row in rows)
    bbox = BBox.enclosing(line.bbox for line in lines)
    height = statistics.median(_row_height(row) for row in rows)
    if body and height >= HEADING_RATIO * body and len(rows) <= 3:
        level = 1 if height >= 1.6 * body else 2
        return Block(lines, bbox, kind="heading", level=level)
    return Block(lines, bbox)


def _table(rows: list[list[Seg]], bounds: list[tuple[float, float]]) -> Block:
    lines = tuple(_line(row) for row in rows)
    cells = tuple(_cells(row, line, bounds) for row, line in zip(rows, lines, strict=True))
    return Block(lines, BBox.enclosing(x.bbox for x in lines), kind="table", rows=cells)


def _cells(row: list[Seg], line: Line, bounds: list[tuple[float, float]]) -> tuple[Cell, ...]:
    slots: list[list[Word]] = [[] for _ in bounds]
    for seg in row:
        index = next((k for k, (_, x1) in enumerate(bounds) if seg.cx <= x1), len(bounds) - 1)
        slots[index].extend(seg.words)
    cells: list[Cell] = []
    for (x0, x1), words in zip(bounds, slots, strict=True):
        if words:
            cell_line = Line.from_words(right_to_left(words))
            cells.append(Cell((cell_line,), cell_line.bbox))
        else:
            box = BBox(max(int(x0), 0), line.bbox.y0, max(int(x1), max(int(x0), 0)), line.bbox.y1)
            cells.append(Cell((), box))
    return tuple(cells)
