"""Line items, subtotal and tax of a receipt, and whether they add up; private to
``receipts``.

An item row ends in an amount and sits between the head and the total. Its description is
the row's words before the numbers, or the row above when the row itself holds only
codes and numbers (many tills print the name on one row and "qty x price amount" under
it). "2 x 3.50", "2 @ 3.50" and "3.50 x 2" give quantity and unit price; a small whole
number printed before the description ("2  EGG TART  5.10", a quantity column) gives the
quantity alone when it stands in a column of its own, unless the item rows' leading
numbers run 1, 2, 3... (line numbers).

The check adds the items (plus tax when the items exclude it, plus rounding and discount
rows as printed) and compares with the subtotal or the total, to the cent.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal

from masthead.ocr._receipt_rows import Money, Row, parse_amount
from masthead.ocr.receipt import LineItem, TotalsCheck

SUBTOTAL = re.compile(r"\b(SUB\s*-?\s*TOTAL|TOTAL\s*SALES\s*\(?EXCL|TOTAL\s*\(?EXCL|NET\s*SALES)")
TAX = re.compile(r"\b(GST|SST|TAX|VAT|MWST|TVA|IVA)\b")
ADJUST = re.compile(r"\b(ROUNDING|ROUND\s*ADJ|ADJUSTMENT|DISCOUNT|DISC)\b")
_NOT_ITEM = re.compile(
    r"\b(TOTAL|SUB\s*TOTAL|CASH|CHANGE|TUNAI|BAKI|BALANCE|GST|SST|TAX|VAT|ROUNDING|"
    r"PAID|TENDER|CARD|VISA|MASTER|DISCOUNT|AMOUNT|DEPOSIT|SERVICE\s*CHARGE|JUMLAH)\b"
)
_QTY = re.compile(
    r"(?<![\d.])(\d{1,4}(?:\.\d{1,3})?)\s*(?:X|@|\*)\s*(?:RM\s?)?(\d+[.,]\d{2})(?!\d)|"
    r"(?<![\d.])(\d+[.,]\d{2})\s*(?:X|@|\*)\s*(\d{1,4})(?![\d.])",
    re.IGNORECASE,
)


def items_and_check(
    rows: Sequence[Row], money: dict[int, list[Money]], total: Money, page: int
) -> tuple[tuple[LineItem, ...], Money | None, Money | None, TotalsCheck]:
    """Items above the total, the subtotal and tax rows, and the totals check."""
    end = next(i for i, r in enumerate(rows) if r.index == total.row.index)
    subtotal = _labelled(rows, money, SUBTOTAL)
    tax = _labelled(rows, money, TAX)
    stop = min(end, subtotal.row.index if subtotal else end)
    items = tuple(_items(rows, money, stop, page))
    return items, subtotal, tax, _check(items, rows[: end + 1], money, subtotal, tax, total)


def items_sum(rows: Sequence[Row], money: dict[int, list[Money]], stop: int) -> Decimal:
    """The amounts of the item rows above row position ``stop``, added up."""
    return sum((Decimal(item.amount) for item in _items(rows, money, stop, 0)), Decimal(0))


def _labelled(
    rows: Sequence[Row], money: dict[int, list[Money]], label: re.Pattern[str]
) -> Money | None:
    for row in rows:
        if label.search(row.upper) and money[row.index]:
            amount = money[row.index][-1]
            if amount.value >= 0:
                return amount
    return None


def _items(
    rows: Sequence[Row], money: dict[int, list[Money]], stop: int, page: int
) -> list[LineItem]:
    found: list[LineItem] = []
    for position, row in enumerate(rows[:stop]):
        amounts = money[row.index]
        if not amounts or _NOT_ITEM.search(row.upper) or amounts[-1].value <= 0:
            continue
        amount = amounts[-1]
        if amount.end < len(row.text.rstrip()) - 4:
            continue
        description, boxes = _description(rows, position, amounts[0].start)
        if not description:
            continue
        quantity, unit = _quantity(row.text[: amount.start], amount.value)
        quantity = quantity or _leading_quantity(row)
        conf = 0.6 * row.confidence
        found.append(
            LineItem(description, quantity, unit, f"{amount.value:.2f}", conf, boxes, page)
        )
    return _without_line_numbers(found)


COLUMN_GAP = 0.8
"""Least blank (in row heights) between a leading number and the description for the
number to stand in a column of its own: "100 PLUS" (a drink) is one name."""


def _leading_quantity(row: Row) -> str:
    """The whole number (1-999) in a column of its own before the row's description."""
    if len(row.words) < 2 or not re.fullmatch(r"[1-9]\d{0,2}", row.words[0].text):
        return ""
    first, after = row.words[0], row.words[1]
    if not after.text[:1].isalpha() or after.bbox.x0 - first.bbox.x1 < COLUMN_GAP * row.height:
        return ""
    return first.text


def _without_line_numbers(items: list[LineItem]) -> list[LineItem]:
    """``items`` without leading-number quantities when those run 1, 2, 3... down three
    rows or more: a till numbering its lines, not counting."""
    counted = [int(item.quantity) for item in items if item.quantity and not item.unit_price]
    if len(counted) < 3 or counted != list(range(1, len(counted) + 1)):
        return items
    return [
        dataclasses.replace(item, quantity="") if not item.unit_price else item for item in items
    ]


def _description(rows: Sequence[Row], position: int, cut: int) -> tuple[str, tuple]:  # type: ignore[type-arg]
    row = rows[position]
    before = row.text[:cut]
    words = re.sub(r"(?<!\w)[\d.,xX@*:#-]+(?!\w)", " ", before)
    if sum(c.isalpha() for c in words) >= 3 and not re.fullmatch(r"[\W\dA-Z]{0,4}", words):
        return " ".join(words.split()), row.boxes(0, cut)
    if position > 0:
        above = rows[position - 1]
        letters = sum(c.isalpha() for c in above.text)
        if (
            letters >= 3
            and not _NOT_ITEM.search(above.upper)
            and not re.search(r"\d+[.,]\d{2}\s*$", above.text)
        ):
            return above.text.strip(), above.boxes() + row.boxes()
    return "", ()


def _quantity(text: str, amount: Decimal) -> tuple[str, str]:
    m = _QTY.search(text)
    if not m:
        return "", ""
    if m.group(1):
        qty, unit = Decimal(m.group(1)), parse_amount(m.group(2))
    else:
        qty, unit = Decimal(m.group(4)), parse_amount(m.group(3))
    if unit is None or abs(qty * unit - amount) > Decimal("0.05"):
        return "", ""
    return f"{qty.normalize():f}", f"{unit:.2f}"


def _check(
    items: Sequence[LineItem],
    rows: Sequence[Row],
    money: dict[int, list[Money]],
    subtotal: Money | None,
    tax: Money | None,
    total: Money,
) -> TotalsCheck:
    if not items:
        return "unchecked"
    added = sum((Decimal(item.amount) for item in items), Decimal(0))
    adjust = sum(
        (money[r.index][-1].value for r in rows if ADJUST.search(r.upper) and money[r.index]),
        Decimal(0),
    )
    taxes = tax.value if tax else Decimal(0)
    targets = [total.value] + ([subtotal.value] if subtotal else [])
    sums = {added, added + taxes, added + adjust, added + taxes + adjust, added - adjust}
    cent = Decimal("0.01")
    return "ok" if any(abs(s - t) <= cent for s in sums for t in targets) else "mismatch"
