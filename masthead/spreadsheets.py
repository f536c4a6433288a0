"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

Every CSV the site writes goes through :func:`writer`. A text cell whose first character
(after any leading spaces or control characters) is ``=``, ``+``, ``-``, ``@``, a tab, a
carriage return, a line feed or NUL, or the full-width forms of the first four (U+FF1D,
U+FF0B, U+FF0D, U+FF20, which some spreadsheets also accept), gets a leading apostrophe:
spreadsheets show it as text, and a person reading the file sees exactly what was typed,
one apostrophe aside.

Numbers stay numbers when they *are* numbers: ``int``, ``float`` and ``Decimal`` values come
from numeric columns, cannot carry a formula, and are written as they are (``-3`` stays
``-3``). Text that only looks like a number (``"-3"`` typed into a form) is text and is
neutralised like any other, so no parser has to decide what counts as "only a number".

An apostrophe already in front of such text is doubled, so :func:`read_cell` undoes
:func:`safe_cell` exactly and a file the site exported imports back unchanged.

Pure Python on purpose (no Django), so a framework-free module could use it too.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_STARTS = frozenset("=+-@\t\r\n\x00\uff1d\uff0b\uff0d\uff20")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """``value`` as a cell no spreadsheet will evaluate."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    return f"'{text}" if _needs_quote(text) else text


def read_cell(text: str) -> str:
    """The value :func:`safe_cell` wrote as ``text`` (for imports of exported files)."""
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def _needs_quote(text: str) -> bool:
    return _starts_a_formula(text.lstrip("'"))


def _starts_a_formula(text: str) -> bool:
    for char in text:
        if char in FORMULA_STARTS:
            return True
        if not (char.isspace() or unicodedata.category(char) in {"Cc", "Cf"}):
            return False
    return False


class SafeWriter:
    """``csv.writer`` whose rows pass through :func:`safe_cell`."""

    def __init__(self, stream: _Writable) -> None:
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable) -> SafeWriter:
    """The one way to write CSV on the site (a test keeps ``csv.writer`` out of the rest)."""
    return SafeWriter(stream)


def xlsx(sheets: Iterable[tuple[str, Iterable[Iterable[object]]]]) -> bytes:
    """An XLSX workbook of ``(sheet title, rows)``; every cell passes through
    :func:`safe_cell`, so text that starts like a formula stays text."""
    from openpyxl import Workbook

    book = Workbook()
    for blank in list(book.worksheets):
        book.remove(blank)
    for title, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
