"""A head printed in two columns, as invoices print it; private to ``receipts``.

A till prints its head as one centred column: the shop's name, its numbers, its address.
An invoice prints the seller's name and address down the left and the invoice's title,
number and dates down the right, so each printed row of the head holds two unrelated
pieces ("Northwind Design Ltd .... INVOICE", "14 Harbour Street .... Date: 14 March
2024"), and a rule that reads the row as one sees an invoice title beside the name and a
date inside the address.

The head is in two columns when a blank wider than ``GUTTER`` of the page's print width
parts at least two of its rows at the same place, one of them among the first three. The
head ends at the first row with an amount, or the first row after the parted ones that
crosses the gutter (a table's headings); a row above them that crosses it (a title over
both columns) belongs to both. Each column is then read on its own, followed by the rest
of the page (the body stays whole). A till's head is centred: its name and address rows
cross any gutter, so it stays one column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from masthead.ocr._receipt_rows import Row, find_money
from masthead.ocr.document import BBox

GUTTER = 0.06
"""Least blank between two columns of the head, as a share of the print's width (a word
gap is about 1%)."""
SPACES = 1.5
"""Least blank between two columns, in heights of the row's print (a word gap is about
half of one, a double space one)."""


def head_columns(rows: Sequence[Row]) -> list[list[Row]]:
    """The page's rows as each column of its head reads them, left column first; the rows
    as they are when the head is one column."""
    top = _head(rows)
    width = max((r.bbox.x1 for r in rows), default=0.0) - min(
        (r.bbox.x0 for r in rows), default=0.0
    )
    blanks = [_widest_blank(row, width) for row in top]
    first = next((n for n, blank in enumerate(blanks[:3]) if blank), None)
    if first is None:
        return [list(rows)]
    edge, end = blanks[first]  # type: ignore[misc]
    parted, length = 0, len(top)
    for n, (row, blank) in enumerate(zip(top, blanks, strict=True)):
        if blank and max(edge, blank[0]) < min(end, blank[1]):
            edge, end = max(edge, blank[0]), min(end, blank[1])
            parted += 1
        elif n > first and _crosses(row, edge, end):
            length = n  # a row across the gutter (a table's headings): the head ends
            break
    if parted < 2:
        return [list(rows)]
    middle = (edge + end) / 2
    head, rest = top[:length], list(rows[length:])
    left = [part for row in head if (part := _part(row, lambda x: x < middle, middle))]
    right = [part for row in head if (part := _part(row, lambda x: x >= middle, middle))]
    return [_renumbered(left + rest), _renumbered(right + rest)]


def _head(rows: Sequence[Row]) -> list[Row]:
    """The rows above the first one holding an amount, at most half of the page's rows."""
    limit = max(3, len(rows) // 2)
    head: list[Row] = []
    for row in rows[:limit]:
        if any(find_money(row)):
            break
        head.append(row)
    return head


def _widest_blank(row: Row, width: float) -> tuple[float, float] | None:
    """The left and right edges of the widest blank between two words of ``row``, when it
    is at least ``GUTTER`` of ``width`` and wider than ``SPACES`` of the row's own spaces:
    a name printed twice as large on a narrow roll has word gaps of 6% of the print."""
    pairs = zip(row.words, row.words[1:], strict=False)
    gaps = [(b.bbox.x0 - a.bbox.x1, a.bbox.x1, b.bbox.x0) for a, b in pairs]
    if not gaps:
        return None
    gap, left, right = max(gaps)
    return (left, right) if gap >= max(GUTTER * width, SPACES * row.height) else None


def _crosses(row: Row, edge: float, end: float) -> bool:
    """A word of ``row`` lies in the gutter between ``edge`` and ``end``."""
    return any(w.bbox.x0 < end and w.bbox.x1 > edge for w in row.words)


def _part(row: Row, keep: Callable[[float], bool], middle: float) -> Row | None:
    """The words of ``row`` whose centre ``keep`` accepts, as a row of their own; a row
    that crosses the gutter (a title above both columns) belongs to both."""
    if _crosses(row, middle, middle):
        return row
    words = tuple(w for w in row.words if keep(w.bbox.center[0]))
    if not words:
        return None
    return Row(row.index, words, BBox.enclosing(w.bbox for w in words), row.height)


def _renumbered(rows: Sequence[Row]) -> list[Row]:
    """``rows`` numbered afresh from 0, in order (the head's rules compare positions)."""
    return [Row(n, r.words, r.bbox, r.height) for n, r in enumerate(rows)]
