"""The receipt as one table: its fields, then its line items, then the totals check.

Columns ``section, name, value, text, confidence, quantity, unit_price, amount``;
``section`` is ``receipt`` for a field (merchant, date, total...), ``item`` for a line
item and ``check`` for the totals check. The spreadsheet exporters (``sheets``) put it
first, as the "Receipt" sheet of the workbook and the first part of the CSV.
"""

from __future__ import annotations

from typing import Any

from masthead.ocr.document import Document
from masthead.ocr.receipt import FIELD_NAMES

HEADER = ["section", "name", "value", "text", "confidence", "quantity", "unit_price", "amount"]


def _cells(*values: Any) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def rows(doc: Document) -> list[list[str]]:
    """The table with its header, or no rows when the document is not a receipt."""
    receipt = doc.receipt
    if receipt is None:
        return []
    table = [HEADER, _cells("receipt", "type", receipt.kind, "", round(receipt.confidence, 3))]
    for name in FIELD_NAMES:
        found = receipt.field(name)
        if found is not None:
            conf = round(found.confidence, 3)
            table.append(_cells("receipt", name, found.value, found.text, conf))
    for item in receipt.items:
        table.append(
            _cells(
                "item",
                item.description,
                item.amount,
                item.description,
                round(item.confidence, 3),
                item.quantity,
                item.unit_price,
                item.amount,
            )
        )
    table.append(_cells("check", "totals", receipt.totals_check, " ".join(receipt.warnings)))
    return table
