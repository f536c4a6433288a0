"""The receipt card on the OCR result page: what it shows, and its CSV/XLSX export.

The card shows ``Document.receipt`` as a form the reader may correct before exporting;
the export takes the values posted back (not the stored ones), so what is downloaded is
what the reader saw and fixed. Cells are written through ``core.spreadsheets`` (formula
text stays text, ADR 0017). Values are bounded: a posted form with more than
``MAX_ITEMS`` items or a value longer than ``MAX_CHARS`` is refused with a 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from masthead import errors, ocr, spreadsheets

MAX_ITEMS = 40
"""Items the card edits: 4 inputs each must stay under DATA_UPLOAD_MAX_NUMBER_FIELDS (200)."""
MAX_CHARS = 500
FIELDS: tuple[tuple[str, str], ...] = (
    ("merchant", "Merchant"),
    ("address", "Address"),
    ("date", "Date"),
    ("time", "Time"),
    ("currency", "Currency"),
    ("subtotal", "Subtotal"),
    ("tax", "Tax"),
    ("total", "Total"),
    ("payment_method", "Paid by"),
    ("note", "Note"),
)
ITEM_COLUMNS = ("description", "quantity", "unit_price", "amount")
EXPORTS = {
    "csv": ("text/csv; charset=utf-8", ".csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


@dataclass(frozen=True, slots=True)
class ReceiptValues:
    """What the card's form holds: the fields by name, and the items' columns."""

    fields: dict[str, str]
    items: list[dict[str, str]]


def receipt_card(receipt: ocr.Receipt) -> dict[str, Any]:
    """The template context of the card: fields with their boxes, items, the check."""
    fields = []
    for name, label in FIELDS:
        found = receipt.field(name)
        fields.append(
            {
                "name": name,
                "label": label,
                "value": found.value if found else "",
                "boxes": [{"x": b.x0, "y": b.y0, "w": b.width, "h": b.height} for b in found.boxes]
                if found
                else [],
                "confidence": round(found.confidence * 100) if found else 0,
            }
        )
    return {
        "receipt": receipt,
        "fields": fields,
        "items": [item.to_dict() for item in receipt.items[:MAX_ITEMS]],
        "more_items": max(0, len(receipt.items) - MAX_ITEMS),
        "mismatch": receipt.totals_check == "mismatch",
        "misread": "total_misread" in receipt.warnings,
        "several": "several_receipts" in receipt.warnings,
    }


def receipt_values_from_post(data: QueryDict) -> ReceiptValues:
    """The posted card, bounded; ``MastheadError`` (400) when it is too large."""
    fields = {name: _bounded(data.get(name, "")) for name, _label in FIELDS}
    columns = {c: data.getlist(f"item_{c}") for c in ITEM_COLUMNS}
    count = max((len(values) for values in columns.values()), default=0)
    if count > MAX_ITEMS:
        raise errors.MastheadError(
            "too_many_items", _("A receipt can have at most %d items.") % MAX_ITEMS
        )
    items = [
        {c: _bounded(columns[c][i] if i < len(columns[c]) else "") for c in ITEM_COLUMNS}
        for i in range(count)
    ]
    return ReceiptValues(fields, [item for item in items if any(item.values())])


def _bounded(value: str) -> str:
    if len(value) > MAX_CHARS:
        raise errors.MastheadError(
            "value_too_long", _("Each value can be at most %d characters.") % MAX_CHARS
        )
    return " ".join(value.split())


def receipt_export(values: ReceiptValues, fmt: str) -> bytes:
    """The receipt as CSV (fields, a blank row, then items) or XLSX (two sheets)."""
    field_rows = [["field", "value"]] + [[label, values.fields[n]] for n, label in FIELDS]
    item_rows = [list(ITEM_COLUMNS)] + [[i[c] for c in ITEM_COLUMNS] for i in values.items]
    if fmt == "xlsx":
        return spreadsheets.xlsx([("Receipt", field_rows), ("Items", item_rows)])
    import io

    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerows(field_rows)
    writer.writerow([])
    writer.writerows(item_rows)
    return out.getvalue().encode("utf-8")
