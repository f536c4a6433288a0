"""Fields as people read them: a label, a value, a page; one entry per fact.

``extract`` reports what it matched, kind by kind, so one printed line can give two
fields: "Tel: +49 30 1234567" is a key_value *and* a phone, "Total: 42.50" a key_value
*and* an amount, "Date: 05/03/2026 Time: 09:42" a key_value whose value holds a date and
a time. Here such a pair becomes one detail, labelled by the key printed on the page
("Phone", "Total", "Date") and valued by the typed match (the date read as a date); what
is left of the line after the typed value ("Time: 09:42") becomes its own detail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from masthead.ocr.document import BBox, Document, Field

__all__ = ["Detail", "details"]

KIND_LABELS = {
    "email": "Email",
    "url": "Web address",
    "phone": "Phone",
    "date": "Date",
    "amount": "Amount",
}
KEY_LABELS = {  # keys printed on pages that mean the same as a kind's label
    "tel": "Phone",
    "tel.": "Phone",
    "telephone": "Phone",
    "phone": "Phone",
    "ph": "Phone",
    "mob": "Mobile",
    "e-mail": "Email",
    "email": "Email",
    "web": "Web address",
    "www": "Web address",
    "website": "Web address",
}
_REST = re.compile(r"^[\s,;|-]*([A-Za-z][\w .#/-]{0,30}?)\s*:\s*(\S.{0,100}?)\s*$")
_SLACK = 2  # pixels: a typed match's box may touch its key_value's edge


@dataclass(frozen=True, slots=True)
class Detail:
    label: str
    value: str
    page: int


def details(doc: Document, *, beside_receipt: bool = False) -> tuple[Detail, ...]:
    """The document's fields as human details, in reading order, without duplicates.

    ``beside_receipt``: for a page that shows the receipt's card too, without the facts
    the card already gives (``ON_CARD``: its date, total...), read from the same print."""
    fields = list(doc.fields)
    typed = [f for f in fields if f.kind != "key_value"]
    shown = _card_boxes(doc) if beside_receipt else []
    covered: set[int] = set()
    found: list[Detail] = []
    for field in fields:
        if field.kind != "key_value":
            if id(field) not in covered and not _on_card(field, shown):
                found.append(
                    Detail(KIND_LABELS.get(field.kind, field.kind), _value(field), field.page)
                )
            continue
        inside = [t for t in typed if t.page == field.page and _within(t.bbox, field.bbox)]
        if not inside:
            if not _on_card(field, shown):
                found.append(Detail(_label(field.key), field.value, field.page))
            continue
        for number, match in enumerate(inside):
            covered.add(id(match))
            if _on_card(match, shown):
                continue
            label = _label(field.key) if number == 0 else KIND_LABELS.get(match.kind, match.kind)
            found.append(Detail(label, _value(match), field.page))
        rest = _rest(field.value, (m.text for m in inside))
        if rest is not None:
            found.append(Detail(_label(rest[0]), rest[1], field.page))
    return tuple(_unique(found))


ON_CARD = ("merchant", "address", "date", "time", "total", "subtotal", "tax")
"""The receipt's fields whose print the card shows as it is (the payment's row holds
more than the way paid: the cash handed over stays a detail)."""


def _card_boxes(doc: Document) -> list[tuple[int, BBox]]:
    receipt = doc.receipt
    if receipt is None:
        return []
    fields = (receipt.field(name) for name in ON_CARD)
    return [(field.page, box) for field in fields if field is not None for box in field.boxes]


def _on_card(field: Field, shown: Iterable[tuple[int, BBox]]) -> bool:
    """Whether ``field`` was read from the print of a receipt field on the card: most of
    the smaller of their two boxes is shared ("Total : 55.10" holds the total's "55.10")."""
    return any(
        page == field.page and _overlap(field.bbox, box) > 0.5 * min(field.bbox.area, box.area)
        for page, box in shown
    )


def _overlap(one: BBox, other: BBox) -> int:
    width = min(one.x1, other.x1) - max(one.x0, other.x0)
    height = min(one.y1, other.y1) - max(one.y0, other.y0)
    return max(0, width) * max(0, height)


def _within(inner: BBox, outer: BBox) -> bool:
    return (
        inner.x0 >= outer.x0 - _SLACK
        and inner.x1 <= outer.x1 + _SLACK
        and inner.y0 >= outer.y0 - _SLACK
        and inner.y1 <= outer.y1 + _SLACK
    )


def _label(key: str) -> str:
    key = " ".join(key.split()).strip(" .:")
    return KEY_LABELS.get(key.lower(), key[:1].upper() + key[1:])


def _value(field: Field) -> str:
    if field.kind == "date":
        try:
            day = dt.date.fromisoformat(field.value)
        except ValueError:
            return field.value
        return f"{day.day} {day:%B %Y}"
    if field.kind == "phone":
        return field.text
    return field.value


def _rest(value: str, matched: Iterable[str]) -> tuple[str, str] | None:
    """A second "key: value" left in ``value`` once the typed matches are taken out."""
    for text in matched:
        value = value.replace(text, " ", 1)
    found = _REST.match(value)
    return (found.group(1), found.group(2)) if found else None


def _unique(found: Iterable[Detail]) -> list[Detail]:
    seen: set[tuple[str, str, int]] = set()
    kept: list[Detail] = []
    for detail in found:
        key = (detail.label.lower(), detail.value, detail.page)
        if key not in seen:
            seen.add(key)
            kept.append(detail)
    return kept
