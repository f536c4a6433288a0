"""Line items, subtotal and tax of a receipt, and whether they add up; private to
``receipts``.

An item row ends in an amount and sits between the head and the subtotal or total. Its
description is the row's words before the numbers, or, when the row holds only codes and
numbers, a row printed beside it: above it on most tills (the name, a shelf code, then
"qty x price amount"), under it on invoice software ("code qty price amount", the name
under). The side is chosen once per receipt, the one that names more such rows (above on
a tie); the search passes up to two rows of codes and stops at an amount, a column
heading, a count of the items, opening hours or a label of the totals. A row whose words
are a column of units or codes ("1  WALK  1.60  1.60  ZRL" under "QTY UOM") is named so
too: the same words on several item rows, or one short word after a leading quantity,
when rows beside name every such row. Leading line numbers, codes and bullets and a
trailing tax flag are dropped from a name row. When the items' columns are headed
("PRODUCT QTY U.PRICE TOTAL"), the item rows are those under the headings: an amount
above them is the head's.

"2 x 3.50", "2 @ 3.50" and "3.50 x 2" give quantity and unit price; so do columns without
the "x" ("2167  2  50.88  101.76") when a number of one to three digits times a price
before the amount makes it to the cent. A small whole number printed before the
description ("2  EGG TART  5.10", a quantity column) gives the quantity alone when it
stands in a column of its own, unless the item rows' leading numbers run 1, 2, 3...
(line numbers). An item row whose amount is negative, or has its minus printed after it
("11.60-"), is a credit when it names what it takes off.

The check adds the items, plus tax when the items exclude it, plus the rounding, discount,
promotion and service-charge rows as printed (an item row named with such a word, "MILO
PROMO 2+1", is an item only), and compares with the subtotal or the total, to the cent.
The tax is the first row labelled with one that is neither a subtotal nor a total naming
the tax ("TOTAL SALES (EXCLUDING GST)"), at most 30% of the total, with the rows of other
rates printed right under it when the receipt charges several.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from decimal import Decimal

from masthead.ocr._receipt_rows import TAX_NAMES, Money, Row, parse_amount
from masthead.ocr.document import BBox
from masthead.ocr.receipt import LineItem, TotalsCheck

SUBTOTAL = re.compile(
    r"\b(SUB\s*-?\s*TOTAL|TOTAL\s*SALES\s*\(?EXCL|TOTAL\s*\(?EXCL|NET\s*SALES|TOTAL\s*H\.?T\b|"
    r"SOUS[-\s]?TOTAL|ZWISCHENSUMME|NETTOBETRAG|SUBTOTAAL)"
)
TAX = re.compile(rf"\b({TAX_NAMES})\b")
ADJUST = re.compile(
    r"\b(ROUNDING|ROUND\s*ADJ|ROUND\s*OFF|ADJUSTMENT|DISCOUNT|DISC|PROMO(TION)?|"
    r"SERVICE\s*CH(AR)?GE?|SVC\s*CHG)\b"
)
_NOT_ITEM = re.compile(
    rf"\b(TOTAL|SUB\s*TOTAL|CASH|CHANGE|TUNAI|BAKI|BALANCE|{TAX_NAMES}|ROUNDING|ROUND\s*OFF|"
    r"SUMME|RENDU|R\u00dcCKGELD|ESP\u00c8CES|"
    r"PAID|TENDER|VISA|MASTER|DISCOUNT|AMOUNT|DEPOSIT|SERVICE\s*CHARGE|JUMLAH|"
    r"(CREDIT|DEBIT|BANK)\s*CARD|CARD\s*(PAYMENT|NO|SALES?)|BY\s*CARD)\b|^\W*CARD\b"
)
_AMOUNT = r"\d{1,3}(?:,\d{3})+\.\d{2}|\d+[.,]\d{2}"
"""A price as tills and invoices print it: "3.50", "3,50", "1,200.00"."""
_QTY = re.compile(
    rf"(?<![\d.])(\d{{1,4}}(?:\.\d{{1,3}})?)\s*(?:X|@|\*|\u00d7)\s*(?:RM\s?)?({_AMOUNT})(?!\d)|"
    rf"(?<![\d.])({_AMOUNT})\s*(?:X|@|\*|\u00d7)\s*(\d{{1,4}})(?![\d.])",
    re.IGNORECASE,
)


def items_and_check(
    rows: Sequence[Row], money: dict[int, list[Money]], total: Money, page: int
) -> tuple[tuple[LineItem, ...], Money | None, tuple[Money, ...], TotalsCheck]:
    """Items above the total, the subtotal and the tax rows (one per rate), and the
    totals check."""
    end = next(i for i, r in enumerate(rows) if r.index == total.row.index)
    subtotal = _labelled(rows, money, SUBTOTAL)
    tax = _tax(rows, money, total)
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


def _tax(rows: Sequence[Row], money: dict[int, list[Money]], total: Money) -> tuple[Money, ...]:
    """The tax: the first tax row's amount ("TOTAL GST : 5.71", "GST @6% included in total
    RM 1.97", "GST: -0.04" on a credit note), not a subtotal or a total that names the tax
    ("TOTAL SALES (EXCLUDING GST) : 95.17", "TOTAL INCL. GST RM 34.80"), at most
    ``TAX_SHARE`` of the total; and, when the receipt charges several rates or taxes
    ("TVA 10% 2,39" / "TVA 20% 2,25", "CGST @ 2.5%" / "SGST @ 2.5%"), the rows of the
    others printed right under it."""
    found: list[tuple[int, Money]] = []
    for position, row in enumerate(rows):
        text = row.upper
        if not TAX.search(text) or SUBTOTAL.search(text) or _TOTAL_WITH_TAX.search(text):
            continue
        amount = money[row.index][-1] if money[row.index] else None
        if amount is not None and abs(amount.value) <= TAX_SHARE * abs(total.value):
            found.append((position, amount))
    if not found:
        return ()
    first, taken = found[0], [found[0][1]]
    kinds = {_kind(first[1].row.upper)}
    for position, amount in found[1:]:
        kind = _kind(amount.row.upper)
        unrated = any(rate is None for _, rate in kinds | {kind})
        if position - first[0] > 3 or unrated or kind in kinds:
            break
        if amount.value:
            taken.append(amount)
            kinds.add(kind)
    return tuple(taken)


def _kind(text: str) -> tuple[str, Decimal | None]:
    """A tax row's tax and rate ("CGST @ 2.5%" -> ("CGST", 2.5)): rows of another rate or
    another tax at the same rate are charged besides it."""
    m = TAX.search(text)
    return (m.group(1) if m else "", _rate(text))


def _rate(text: str) -> Decimal | None:
    """The percentage printed in a tax row ("TVA 10%", "GST @6%", "KDV %10", "TVQ
    9,975%"), or ``None``."""
    m = re.search(r"(\d{1,2}(?:[.,]\d{1,3})?)\s?%|%\s?(\d{1,2}(?:[.,]\d{1,3})?)\b", text)
    return Decimal((m.group(1) or m.group(2)).replace(",", ".")) if m else None


_TOTAL_WITH_TAX = re.compile(rf"\bTOTAL\b(?!\s*({TAX_NAMES})\b).*\b({TAX_NAMES})\b")
TAX_SHARE = Decimal("0.3")
"""A tax is less than this share of the total it is part of (VAT of 27% is 21%)."""


def _items(
    rows: Sequence[Row], money: dict[int, list[Money]], stop: int, page: int
) -> list[LineItem]:
    priced: list[tuple[int, Money, str, tuple[BBox, ...]]] = []
    start = _below_headings(rows, money, stop)
    for position, row in enumerate(rows[start:stop], start=start):
        amounts = money[row.index]
        if not amounts or _NOT_ITEM.search(row.upper) or not amounts[-1].value:
            continue
        amount = _credited(amounts[-1])
        if not _ends_in(row, amount):
            continue
        description, boxes = _inline_description(row, amounts[0].start)
        if amount.value < 0 and (not description or ADJUST.search(row.upper)):
            continue  # a credit line names what it takes off; a discount is added apart
        priced.append((position, amount, description, boxes))
    unit_like = _unit_like(rows, priced)
    bare = [position for position, _, description, _ in priced if not description]
    names = _names_of_bare(rows, money, bare + sorted(unit_like), stop)
    units = _named_column(unit_like, names)
    found: list[LineItem] = []
    for position, amount, description, boxes in priced:
        row = rows[position]
        if (not description or position in units) and (named := names.get(position)):
            description, boxes = _item_name(named.text), named.boxes() + row.boxes()
        if not description:
            description, boxes = _after_quantity(row, amount.start)
        if not description:
            continue
        quantity, unit = _quantity(row.text[: amount.start], amount.value)
        quantity = quantity or _leading_quantity(row)
        conf = 0.6 * row.confidence
        found.append(
            LineItem(description, quantity, unit, f"{amount.value:.2f}", conf, boxes, page)
        )
    return _without_line_numbers(found)


def _unit_like(
    rows: Sequence[Row], priced: Sequence[tuple[int, Money, str, tuple[BBox, ...]]]
) -> dict[int, str]:
    """Item rows whose description may be a column of units or codes rather than the
    item's name, when the rows beside name the items (``_named_column``): one or two words
    printed the same on another item row, or one short word after a leading quantity ("1
    WALK 3.20 3.20 ZRL" under "QTY UOM UNIT PRICE")."""
    texts = [description.upper() for _, _, description, _ in priced]
    return {
        position: text
        for (position, _, _, _), text in zip(priced, texts, strict=True)
        if text
        and len(text.split()) <= 2
        and (texts.count(text) >= 2 or _SHORT_AFTER_COUNT.match(rows[position].text))
    }


_SHORT_AFTER_COUNT = re.compile(r"\W*\d{1,3}\s+[^\W\d_]{1,4}\s+\d")


def _named_column(unit_like: dict[int, str], names: dict[int, Row]) -> set[int]:
    """The rows of ``unit_like`` whose words are a column, not names: every row printing
    those words is named by a row beside it, each by another. Two coffees bought apart are
    not: the second one's neighbour above is the first, a row with an amount."""
    column: set[int] = set()
    for text in set(unit_like.values()):
        rows = [position for position, words in unit_like.items() if words == text]
        named = {names[p].index for p in rows if p in names}
        if len(named) == len(rows):
            column.update(rows)
    return column


def _below_headings(rows: Sequence[Row], money: dict[int, list[Money]], stop: int) -> int:
    """The position of the first row under the items' column headings ("PRODUCT QTY
    U.PRICE TOTAL"), or 0 when none is printed: what stands above them is the head's,
    even with an amount ("MTD RC AT K074: 111.90", a figure of the member's account)."""
    for position, row in enumerate(rows[:stop]):
        if _heading(row) and not money[row.index]:
            return position + 1
    return 0


def _heading(row: Row) -> bool:
    """Two or more of the words that head the items' columns, and not a count of them."""
    return len(set(_HEADING.findall(row.upper))) >= 2 and not _COUNT.search(row.upper)


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


def _credited(amount: Money) -> Money:
    """An item's amount with a minus printed after it ("P3 KDP G HW 11.60-", a promotion
    taken off) as the negative amount it is. Only item rows are read so: after a total
    or a price in yen the dash ends the figure ("\u00a51,000-")."""
    rest = amount.row.text[amount.end :]
    if amount.value > 0 and re.fullmatch(r"\s?-\s*", rest):
        return dataclasses.replace(amount, value=-amount.value, end=len(amount.row.text.rstrip()))
    return amount


def _inline_description(row: Row, cut: int) -> tuple[str, tuple[BBox, ...]]:
    """The words printed before the row's first amount (at ``cut``), without the codes,
    numbers and units among them ("2597 1.00 PCS 48.00 50.88" has none)."""
    described = _described(row.text[:cut])
    return (described, row.boxes(0, cut)) if described else ("", ())


def _after_quantity(row: Row, end: int) -> tuple[str, tuple[BBox, ...]]:
    """The words between a leading quantity and price and the amount at ``end`` ("2 @
    1.50 AVOCADO  3.00"), when no row beside names the item; never a discount's note."""
    m = _QTY.match(row.text[:end].lstrip())
    if m is None:
        return "", ()
    start = len(row.text) - len(row.text.lstrip()) + m.end()
    described = _described(row.text[start:end])
    if not described or ADJUST.search(described.upper()):
        return "", ()
    return described, row.boxes(start, end)


def _described(text: str) -> str:
    """``text`` without codes, numbers and units, when words remain ("2% GAL" keeps its
    percentage)."""
    words = _UNIT.sub(" ", re.sub(r"(?<!\w)[\d.,xX@*:#-]+(?![\w%])", " ", text))
    if sum(c.isalpha() for c in words) >= 3 and not re.fullmatch(r"[\W\dA-Z]{0,4}", words):
        return " ".join(words.split())
    return ""


_UNIT = re.compile(r"(?<!\w)(?:PCS|PC|SETS?|UNITS?|EA|NOS|PKT|BOX|BTL|CTN|KG|PAX)(?!\w)", re.I)
NAMING_REACH = 2
"""Rows of codes alone ("EZ10HD05 - 24", a shelf code) that may stand between an item's
name and its row of numbers."""


def _item_name(text: str) -> str:
    """A name row without the codes a till prints around it: leading line numbers, item
    codes and barcodes ("1. 2012-0029 ORDER CHIT" -> "ORDER CHIT": a token with four
    digits in a row and no word in it, or a number with a dot) and bullets ("- CBE BADGE
    CLIP"), and a trailing tax flag with its star ("PLASTIC BAGS *S")."""
    words = text.split()
    while len(words) > 1 and (_CODE.fullmatch(words[0]) or _BULLET.fullmatch(words[0])):
        words.pop(0)
    if len(words) > 1 and re.fullmatch(r"\*[A-Z0-9]{1,2}", words[-1]):
        words.pop()
    return " ".join(words)


_CODE = re.compile(r"(?=\S*\d{4})(?!\S*[^\W\d_]{3})\S+|\d{1,3}\.")
_BULLET = re.compile(r"[-*#.:\u2022\u00b7>]+")


def _names_of_bare(
    rows: Sequence[Row], money: dict[int, list[Money]], bare: Sequence[int], stop: int
) -> dict[int, Row]:
    """The row naming each row of numbers alone (by position), all from one side: above
    them (most tills: the name, then "qty x price amount") or below (invoice software that
    prints "code qty price amount" with the name under it). Whichever side names more of
    them, above when it is a tie."""
    above = {p: row for p in bare if (row := _named_by(rows, money, p, -1, stop))}
    below = {p: row for p in bare if (row := _named_by(rows, money, p, +1, stop))}
    return below if len(below) > len(above) else above


def _named_by(
    rows: Sequence[Row], money: dict[int, list[Money]], position: int, step: int, stop: int
) -> Row | None:
    """The row naming the item at ``position``: the nearest row on side ``step`` that
    holds a word, past at most ``NAMING_REACH`` rows of codes; never a row with an
    amount, a column heading or a total's label."""
    at = position + step
    for _ in range(NAMING_REACH + 1):
        if not 0 <= at < stop or _priced(rows[at], money):
            return None
        row = rows[at]
        if _names_item(row):
            return row
        if _worded(row.text) or re.search(r"\d+[.,]\d{2}\s*$", row.text):
            return None
        at += step
    return None


def _names_item(row: Row) -> bool:
    """A row that can name an item: a word of three letters or more outside codes, not a
    column heading ("ITEM QTY PRICE") or a count of the items ("Item(s) : 4 Qty(s) : 4",
    "No of items: 2"), not a label of the totals and payment, not opening hours printed
    above the items ("MON-SUN:1000 HRS - 2200 HRS")."""
    text = row.upper
    return (
        _worded(row.text)
        and not _heading(row)
        and not _NOT_NAME.search(text)
        and not _COUNT.search(text)
        and not _HOURS.search(text)
    )


def _priced(row: Row, money: dict[int, list[Money]]) -> bool:
    """Whether an amount ends ``row`` (``_ends_in``)."""
    return bool(money[row.index]) and _ends_in(row, money[row.index][-1])


def _ends_in(row: Row, amount: Money) -> bool:
    """Whether ``amount`` ends ``row``, but for a tax flag ("5.90 SR"): an amount inside
    a name ("E/LOPE 4.51NX9.5IN W4292 EA") neither prices the row nor ends a search."""
    return amount.end >= len(row.text.rstrip()) - 4


def _worded(text: str) -> bool:
    """A word of three letters or more once codes and numbers are set aside; an
    abbreviation's dots join its letters ("B.R.C A10 1.7X4M", a wire mesh)."""
    text = re.sub(r"(?<=[^\W\d_])\.(?=[^\W\d_])", "", re.sub(r"\S*\d\S*", " ", text))
    return bool(re.search(r"[^\W\d_]{3,}", text))


_HEADING = re.compile(
    r"\b(ITEMS?|QTY|QUANTITY|PRICE|S/PRICE|U/P|UNIT|AMOUNT|AMT|DESC(RIPTION)?|CODE|TAX|"
    r"DISC%?|TOTAL|RM)\b|\(S\)"
)
_COUNT = re.compile(
    r"\b(NO\.?\s*(OF\s*)?(ITEMS?|QTYS?)|ITEMS?\s*COUNT|TOTAL\s*(QTY|ITEMS?)|QTYS)\b|"
    r"\b(ITEM|QTY)\(S\)"
)
_HOURS = re.compile(
    r"\b\d{3,4}\s*HRS\b|\b\d{1,2}(?:[:.]\d{2})?\s*[AP]\.?M\.?\s*(?:-|TO)\s*\d|"
    r"\b\d{1,2}[:.]\d{2}\s*(?:-|TO)\s*\d{1,2}[:.]\d{2}\b"
)
_NOT_NAME = re.compile(
    r"\b(TOTAL|SUB\s*TOTAL|CASH|CHANGE|TUNAI|BAKI|BALANCE|ROUNDING|PAID|TENDER|DEPOSIT|"
    r"JUMLAH|CASHIER|SALESPERSON|INVOICE|RECEIPT|DATE|TIME)\b"
)


def _quantity(text: str, amount: Decimal) -> tuple[str, str]:
    m = _QTY.search(text)
    if not m:
        found = _columns_quantity(text, amount)
        return found if found[0] else _counted(text, amount)
    if m.group(1):
        qty, unit = Decimal(m.group(1)), parse_amount(m.group(2))
    else:
        qty, unit = Decimal(m.group(4)), parse_amount(m.group(3))
    if unit is None or abs(qty * unit - amount) > Decimal("0.05"):
        return "", ""
    return f"{qty.normalize():f}", f"{unit:.2f}"


def _counted(text: str, amount: Decimal) -> tuple[str, str]:
    """A count printed before the name or after it without a price ("2 x Caf\u00e9 cr\u00e8me
    7,00", "Iced Tea x2  6.00"), and the unit price it leaves when the amount divides by
    it to the cent."""
    m = _COUNT_FIRST.match(text) or _COUNT_LAST.search(text)
    if not m:
        return "", ""
    quantity = Decimal(m.group(1))
    unit = amount / quantity if quantity else Decimal(0)
    if quantity <= 0 or unit != unit.quantize(Decimal("0.01")):
        return "", ""
    return f"{quantity.normalize():f}", f"{unit:.2f}"


_COUNT_FIRST = re.compile(r"\W*(\d{1,2})\s?[xX\u00d7]\s+(?=[^\W\d_])")
_COUNT_LAST = re.compile(r"(?<=[^\W\d_])\s+[xX\u00d7]\s?(\d{1,2})\W*$")


def _columns_quantity(text: str, amount: Decimal) -> tuple[str, str]:
    """Quantity and unit price printed in columns without "x" ("2167  2  50.88  101.76",
    "SR 2 6.10 12.20"): a price before the amount, the nearest first (an invoice may print
    the amount before tax between them: "2  4.50  9.00  9.00 ZRL"), and a number of one to three
    digits before it that times the price makes the amount to the cent (a barcode or an
    item code does not)."""
    for price in reversed(list(_PRICE.finditer(text))):
        unit = parse_amount(price.group(0))
        if unit is None or unit <= 0:
            continue
        for m in reversed(list(_COUNTED.finditer(text, 0, price.start()))):
            quantity = Decimal(m.group(0))
            if quantity > 0 and quantity * unit == amount:
                return f"{quantity.normalize():f}", f"{unit:.2f}"
    return "", ""


_PRICE = re.compile(rf"(?<![\w.,])(?:{_AMOUNT})(?![\w.,]*\d)")
_COUNTED = re.compile(r"(?<![\w.,/-])\d{1,3}(?:\.\d{1,3})?(?![\w.,/-])")


def _check(
    items: Sequence[LineItem],
    rows: Sequence[Row],
    money: dict[int, list[Money]],
    subtotal: Money | None,
    tax: Sequence[Money],
    total: Money,
) -> TotalsCheck:
    if not items:
        return "unchecked"
    added = sum((Decimal(item.amount) for item in items), Decimal(0))
    # an item named with an adjustment's word ("MILO PROMO PACK") is counted once, as an item
    itemised = {box for item in items for box in item.boxes}
    adjust = sum(
        (
            money[r.index][-1].value
            for r in rows
            if ADJUST.search(r.upper)
            and money[r.index]
            and not any(w.bbox in itemised for w in r.words)
        ),
        Decimal(0),
    )
    taxes = sum((amount.value for amount in tax), Decimal(0))
    targets = [total.value] + ([subtotal.value] if subtotal else [])
    sums = {added, added + taxes, added + adjust, added + taxes + adjust, added - adjust}
    cent = Decimal("0.01")
    return "ok" if any(abs(s - t) <= cent for s in sums for t in targets) else "mismatch"
