"""Spreadsheets: Excel (.xlsx) and CSV with the receipt, the tables and the details found.

The workbook has a "Receipt" sheet when the page is one (fields, line items, the totals
check: ``receipt_table``), a "Details" sheet (label, value, page) and one sheet per table; a
document with neither gets a "Text" sheet, one line a row, so the file is never empty.
The CSV holds the same rows one after another, a blank row between parts.

Text that a spreadsheet would run as a formula ("=HYPERLINK(…)" read off a page) stays
text: both files go through the site's one spreadsheet writer (docs/decisions/0017),
which puts an apostrophe in front of it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from masthead import spreadsheets
from masthead.ocr.details import details
from masthead.ocr.document import Document
from masthead.ocr.export import receipt_table

Rows = list[list[str]]


def parts(doc: Document) -> Iterator[tuple[str, Rows]]:
    """(sheet title, rows): the receipt, the details, each table; the text when none."""
    receipt = receipt_table.rows(doc)
    if receipt:
        yield "Receipt", receipt
    found = details(doc)
    if found:
        yield (
            "Details",
            [["Detail", "Value", "Page"]] + [[d.label, d.value, str(d.page)] for d in found],
        )
    number = 0
    for page in doc.pages:
        for block in page.blocks:
            if block.rows:
                number += 1
                yield f"Table {number}", [[cell.text for cell in row] for row in block.rows]
    if not receipt and not found and not number:
        yield "Text", [[line.text] for page in doc.pages for line in page.lines]


def render_xlsx(doc: Document) -> bytes:
    return spreadsheets.xlsx(parts(doc))


def render_csv(doc: Document) -> str:
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    for index, (_title, rows) in enumerate(parts(doc)):
        if index:
            writer.writerow([])
        writer.writerows(rows)
    return buffer.getvalue()
