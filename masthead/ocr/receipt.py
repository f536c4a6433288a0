"""The receipt object: what a receipt or invoice says, as structured data.

``receipts.find_receipt`` builds it from recognised pages; ``Document.receipt`` carries it
and ``Document.to_dict()`` writes it under ``"receipt"`` (docs/ocr-json-schema.md: 1.1,
``note`` since 1.2).
Every value keeps what the page printed (``text``), a normalised ``value`` (ISO date,
``"33.90"``, ``"MYR"``), a confidence in 0-1 and the boxes it was read from, so a reader
can check each value against the image. A field the extractor is not sure of is absent
(``None``): an empty field beats a wrong one.

This module needs nothing from the library at run time except ``BBox`` (imported where it
is used, because ``document`` imports this module).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from masthead.ocr.document import BBox

ReceiptKind = Literal["receipt", "invoice"]
TotalsCheck = Literal["ok", "mismatch", "unchecked"]
RECEIPT_KINDS: tuple[str, ...] = get_args(ReceiptKind)
TOTALS_CHECKS: tuple[str, ...] = get_args(TotalsCheck)
FIELD_NAMES: tuple[str, ...] = (
    "merchant",
    "address",
    "date",
    "time",
    "currency",
    "total",
    "subtotal",
    "tax",
    "payment_method",
    "note",
)


@dataclass(frozen=True, slots=True)
class ReceiptField:
    """One value: normalised ``value``, printed ``text``, confidence and source boxes."""

    value: str
    text: str
    confidence: float
    boxes: tuple[BBox, ...]
    page: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "boxes": [box.to_list() for box in self.boxes],
            "page": self.page,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReceiptField:
        from masthead.ocr.document import BBox

        return cls(
            value=str(data["value"]),
            text=str(data.get("text", data["value"])),
            confidence=float(data.get("confidence", 0.0)),
            boxes=tuple(BBox.from_list(b) for b in data.get("boxes", ())),
            page=int(data.get("page", 1)),
        )


@dataclass(frozen=True, slots=True)
class LineItem:
    """One bought line; numbers are decimal strings, ``""`` when the line does not say."""

    description: str
    quantity: str
    unit_price: str
    amount: str
    confidence: float
    boxes: tuple[BBox, ...]
    page: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "amount": self.amount,
            "confidence": round(self.confidence, 3),
            "boxes": [box.to_list() for box in self.boxes],
            "page": self.page,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineItem:
        from masthead.ocr.document import BBox

        return cls(
            description=str(data.get("description", "")),
            quantity=str(data.get("quantity", "")),
            unit_price=str(data.get("unit_price", "")),
            amount=str(data.get("amount", "")),
            confidence=float(data.get("confidence", 0.0)),
            boxes=tuple(BBox.from_list(b) for b in data.get("boxes", ())),
            page=int(data.get("page", 1)),
        )


@dataclass(frozen=True, slots=True)
class Receipt:
    """A receipt or invoice found on a page.

    ``totals_check`` is "ok" when the line items (with tax, discounts and rounding the
    receipt prints) add up to the subtotal or total, "mismatch" when they do not (the
    figures are kept, the reader is warned), "unchecked" when there is nothing to add.
    ``warnings`` are stable codes: ``"several_receipts"``, ``"totals_mismatch"``,
    ``"total_misread"`` (the total's value is what the other amounts confirm, not its print).
    ``note`` is a code written by hand above the receipt's print (a bookkeeper's filing
    number): kept here, and left out of the page's text, which is the receipt's print.
    """

    kind: ReceiptKind = "receipt"
    page: int = 1
    confidence: float = 0.0
    merchant: ReceiptField | None = None
    address: ReceiptField | None = None
    date: ReceiptField | None = None
    time: ReceiptField | None = None
    currency: ReceiptField | None = None
    total: ReceiptField | None = None
    subtotal: ReceiptField | None = None
    tax: ReceiptField | None = None
    payment_method: ReceiptField | None = None
    note: ReceiptField | None = None
    items: tuple[LineItem, ...] = ()
    totals_check: TotalsCheck = "unchecked"
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in RECEIPT_KINDS:
            raise ValueError(f"unknown receipt kind {self.kind!r}")
        if self.totals_check not in TOTALS_CHECKS:
            raise ValueError(f"unknown totals check {self.totals_check!r}")

    def field(self, name: str) -> ReceiptField | None:
        """The field called ``name`` (one of ``FIELD_NAMES``)."""
        if name not in FIELD_NAMES:
            raise KeyError(name)
        value: ReceiptField | None = getattr(self, name)
        return value

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.kind,
            "page": self.page,
            "confidence": round(self.confidence, 3),
        }
        for name in FIELD_NAMES:
            found = self.field(name)
            data[name] = found.to_dict() if found is not None else None
        data["items"] = [item.to_dict() for item in self.items]
        data["totals_check"] = self.totals_check
        data["warnings"] = list(self.warnings)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Receipt:
        fields = {
            name: ReceiptField.from_dict(data[name]) if data.get(name) else None
            for name in FIELD_NAMES
        }
        return cls(
            kind=data.get("type", "receipt"),
            page=int(data.get("page", 1)),
            confidence=float(data.get("confidence", 0.0)),
            items=tuple(LineItem.from_dict(i) for i in data.get("items", ())),
            totals_check=data.get("totals_check", "unchecked"),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
            **fields,
        )
