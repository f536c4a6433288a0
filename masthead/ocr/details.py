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


def details(doc: Document) -> tuple[Detail, ...]:
    """The document's fields as human details, in reading order, without duplicates."""
    fields = list(doc.fields)
    typed = [f for f in fields if f.kind != "key_value"]
    covered: set[int] = set()
    found: list[Detail] = []
    for field in fields:
        if field.kind != "key_value":
            if id(field) not in covered:
                found.append(
                    Detail(KIND_LABELS.get(field.kind, field.kind), _value(field), field.page)
                )
            continue
        inside = [t for t in typed if t.page == field.page and _within(t.bbox, field.bbox)]
        if not inside:
            found.append(Detail(_label(field.key), field.value, field.page))
            continue
        for number, match in enumerate(inside):
            covered.add(id(match))
            label = _label(field.key) if number == 0 else KIND_LABELS.get(match.kind, match.kind)
            found.append(Detail(label, _value(match), field.page))
        rest = _rest(field.value, (m.text for m in inside))
        if rest is not None:
            found.append(Detail(_label(rest[0]), rest[1], field.page))
    return tuple(_unique(found))


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
