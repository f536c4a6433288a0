"""Spreadsheets: Excel (.xlsx) and CSV with the receipt, the tables and the details found.

The workbook has a "Receipt" sheet when the page is one (fields, line items, the totals
check: ``receipt_table``), a "Details" sheet (label, value, page) and one sheet per table; a
document with neither gets a "Text" sheet, one line a row, so the file is never empty.
The CSV holds the same rows one after another, a blank row between parts.

Text that a spreadsheet would run as a formula ("=HYPERLINK(…)" read off a page) stays
text: in the workbook every cell is typed as a string with Excel's quote prefix, and the
CSV goes through the site's one CSV writer (docs/decisions/0017).
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
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])  # the default empty sheet
    for title, rows in parts(doc):
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                cell.value = text
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cell.quotePrefix = spreadsheets.safe_cell(text) != text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_csv(doc: Document) -> str:
    buffer = io.StringIO()
    writer = spreadsheets.writer(buffer)
    for index, (_title, rows) in enumerate(parts(doc)):
        if index:
            writer.writerow([])
        writer.writerows(rows)
    return buffer.getvalue()
