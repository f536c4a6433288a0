"""CSV: the receipt's fields, then its line items; the other text as key/value lines.

One table a spreadsheet opens directly: columns ``section, name, value, text,
confidence, quantity, unit_price, amount``. ``section`` is ``receipt`` for a field
(merchant, date, total...), ``item`` for a line item, ``check`` for the totals check, and
``field`` for the pattern fields (emails, phones...) of a page that is no receipt. Cells
go through ``masthead.spreadsheets`` (docs/decisions/0017): that module is pure
Python, and this is the one import of it the framework-free contract allows.
"""

from __future__ import annotations

import io

from masthead import spreadsheets
from masthead.ocr.document import Document
from masthead.ocr.receipt import FIELD_NAMES

HEADER = ("section", "name", "value", "text", "confidence", "quantity", "unit_price", "amount")


def render(doc: Document) -> str:
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerow(HEADER)
    receipt = doc.receipt
    if receipt is not None:
        writer.writerow(("receipt", "type", receipt.kind, "", round(receipt.confidence, 3)))
        for name in FIELD_NAMES:
            found = receipt.field(name)
            if found is not None:
                conf = round(found.confidence, 3)
                writer.writerow(("receipt", name, found.value, found.text, conf))
        for item in receipt.items:
            writer.writerow(
                (
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
        writer.writerow(("check", "totals", receipt.totals_check, " ".join(receipt.warnings)))
    else:
        for pattern_field in doc.fields:
            name = pattern_field.key or pattern_field.kind
            writer.writerow(("field", name, pattern_field.value, pattern_field.text))
    return out.getvalue()
