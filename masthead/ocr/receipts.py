"""Receipts and invoices to structured data: who sold it, where, when, for how much.

``find_receipt(pages)`` looks at each page's words (their boxes, sizes and order, not only
their text; see ``_receipt_rows``) and returns a ``Receipt`` for the first page that reads
like one, or ``None``. The rules, in the order the code applies them:

1. Rows are rebuilt from word boxes; amounts ("RM 9.00", "1,234.50", "-0.02") and dates
   (day first unless impossible, two-digit years as 20YY) are read from each row.
2. A page is a receipt when it has a total: an amount on, or right after, a row that
   names a total ("TOTAL", "GRAND TOTAL", "AMOUNT DUE", "JUMLAH"...), and a date or another
   priced row besides; or when it reads like a till slip whose total could not be read (a
   date, three priced rows, a total or cash label): then the total is left empty and the
   other fields are still read. Otherwise: ``None``.
3. The total is the best-scored such amount: a rounded/grand/nett total beats a plain one,
   a later one beats an earlier one, an amount that equals cash paid minus change wins,
   one that equals what the subtotal (or the items), tax and rounding add up to is
   preferred; when no printed total agrees with either and cash less change agrees with
   the subtotal and tax (a misread total), cash less change is the total; a printed
   total one digit away from the one amount the other figures confirm is read as that
   amount, with the warning ``total_misread``; and a TOTAL
   row of a tax summary table (under "GST SUMMARY", or an amount with its tax beside it)
   loses to any other.
4. The merchant and address come from the head of the receipt (``_receipt_header``).
5. Line items, subtotal and tax are checked against the total (``_receipt_items``);
   a mismatch is reported in ``totals_check``, never corrected silently.

Every rule prefers leaving a field empty to guessing: a field is only set when its
evidence is on the page, and its confidence says how strong that evidence was.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from masthead.ocr import _receipt_columns as columns
from masthead.ocr import _receipt_header as header
from masthead.ocr import _receipt_items as itemise
from masthead.ocr._receipt_rows import (
    CURRENCY_CODES,
    CURRENCY_SIGNS,
    TAX_NAMES,
    Money,
    Row,
    build_rows,
    find_money,
)
from masthead.ocr.document import BBox, Page
from masthead.ocr.receipt import Receipt, ReceiptField

__all__ = ["find_receipt", "read_page"]

_TOTAL = re.compile(
    r"\b(GRAND\s*TOTAL|TOTAL|JUMLAH|AMOUNT\s*DUE|BALANCE\s*DUE|NETT?\s*AMOUNT|AM(OUN)?T\s*PAID|"
    r"AMOUNT\s*PAYABLE|TOTAL\s*PAYABLE|AMOUNT\s*INCL|SUMME|GESAMT|MONTANT|TOTALE?|TOTAAL|"
    r"TOTALT|SUMA|RAZEM|TOPLAM)\b"
)
_STRONG = re.compile(
    r"\b(GRAND\s*TOTAL|ROUNDED|ROUNDING\s*TOTAL|NETT?\s*TOTAL|TOTAL\s*NETT?|AMOUNT\s*DUE|"
    r"TOTAL\s*DUE|PAYABLE|BALANCE\s*DUE|AM(OUN)?T\s*PAID\s*INCL|INCL(USIVE)?|TOTAL\s*AMOUNT|TOTAL\s*SALES\s*\(?INC)"
)
_NOT_TOTAL = re.compile(
    rf"\b(SUB\s*-?\s*TOTAL|SOUS\s*-?\s*TOTAL|TOTAL\s*H\.?T|TOTAL\s*(QTY|QUANTITY|ITEMS?|"
    rf"DISC(OUNT)?|SAVINGS?|{TAX_NAMES}|EXCL(UDING)?|POINTS?|NO|PCS|UNITS?)|EXCL(UDING)?|"
    r"BEFORE|SAVED|SAVINGS|POINTS?|QTY|DISCOUNT|TOTAL\s*\d+\s*ITEMS?|ACCEPTED|TENDERED|"
    r"INCLUDED\s*IN)\b|"
    r"\bTOTAL\s*\(?\d+(\.\d+)?\s*%|"
    rf"^\W*({TAX_NAMES})\b"
)
_SUMMARY = re.compile(r"\b(GST|SST|TAX|VAT)\s*SUMMARY\b|\bSUMMARY\b.*\b(GST|TAX|VAT)\b")
_ROUNDING = re.compile(r"\b(ROUNDING|ROUND(ED)?\s*ADJ\w*|ADJUSTMENT)\b")
_CASH = re.compile(
    r"\b(CASH|TUNAI|PAID|TENDER(ED)?|PAYMENT|VISA|MASTER\s*CARD|CARD|BARGELD|GEGEBEN|"
    r"ESP\u00c8CES|EFECTIVO|CONTANTI|CONTANTE)\b|^\W*BAR\b"
)
_CHANGE = re.compile(
    r"\b(CHANGE|BAKI|BALANCE|R\u00dcCKGELD|WECHSELGELD|RENDU|CAMBIO|VUELTO|RESTO)\b"
)
_TIME = re.compile(
    r"(?<![\d:.])([01]?\d|2[0-3])(?:\s?:\s?|\.)([0-5]\d)(?:\s?:\s?([0-5]\d))?\s?([AaPp][Mm])?"
    r"(?![\d:]|\.\d)"
)
_DATE_WORD = re.compile(r"\b(DATE|TARIKH|DATUM|FECHA|DATA)\b")
_EXTRA_DATES = (
    re.compile(r"(?<![\d/])(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?![\d/])"),
    re.compile(
        r"(?<![\d/.])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2}|\d{2})"
        r"(?:(?![\d/]|\.\d)|(?=[0-2]?\d:[0-5]\d))"
    ),
    re.compile(
        r"(?<!\d)(\d{1,2})[\s/-]?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[\s/-]?,?"
        r"\s?(\d{4}|\d{2})(?!\d)"
    ),
    # the month first, as American receipts print it ("Mar 14, 2024"), with a full year
    re.compile(
        r"(?<![A-Z])(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s(\d{1,2})"
        r"(?:ST|ND|RD|TH)?,?\s((?:19|20)\d{2})(?!\d)"
    ),
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_PAYMENTS = (
    (
        "card",
        re.compile(
            r"\b(VISA|MASTER\s*CARD|MASTER|AMEX|DEBIT|CREDIT\s*CARD|CARD|EC[-\s]?KARTE|"
            r"KARTE|GIROCARD|CARTE|CB|TARJETA|CARTA|MAESTRO|UNIONPAY|JCB|DINERS|KORT|KARTI|"
            r"KART\u0130|BANKOMAT|CONTACTLESS|EFTPOS|NETS|PIN)\b|"
            # a card's number masked but for its last digits ("xXXXXXXXXXX0000", "**** 4821")
            r"[X*]{4,}(?:[\s-]?[X*]{4})*[\s-]?\d{2,4}\b"
        ),
    ),
    (
        "cash",
        re.compile(
            r"\b(CASH|TUNAI|BARGELD|ESP\u00c8CES|EFECTIVO|CONTANTI|CONTANT|KONTANT|DINHEIRO|"
            r"NUMER\u00c1RIO|GOT\u00d3WKA|NAK\u0130T|NAKIT)\b|^\W*BAR\b"
        ),
    ),
    (
        "e-wallet",
        re.compile(
            r"\b(E-?WALLET|GRABPAY|BOOST|TOUCH\s*N\s*GO|PAYPAL|ALIPAY|WECHAT\s*PAY|UPI|PAYTM|"
            r"GPAY|GOOGLE\s*PAY|PHONEPE|APPLE\s*PAY)\b"
        ),
    ),
)


def find_receipt(pages: Sequence[Page]) -> Receipt | None:
    """The receipt on the first page that has one, or ``None``."""
    for page in pages:
        found = read_page(page)
        if found is not None:
            return found
    return None


def read_page(page: Page) -> Receipt | None:
    """The receipt on ``page``, or ``None`` when the page shows no total and does not read
    like a till slip."""
    words = list(page.words)
    split = _second_receipt_at(build_rows(words))
    if split is not None:
        words = [w for w in words if w.bbox.center[0] < split]
    rows = build_rows(words)
    money = {row.index: list(find_money(row)) for row in rows}
    labelled = _stacked(rows, money)
    total, total_score, worked = _total(rows, labelled)
    if total is None and not _till_slip(rows, money):
        return None
    if total is not None and not _more_evidence(rows, money, total):
        return None
    merchant_rows, name, merchant_conf, address, note = _seller(rows)
    address_value = _plain(header.address_text(address))
    country = _country(address)
    total_field: ReceiptField | None = None
    misread = False
    if total is not None and worked:
        total, total_field = _worked_out(total, worked, page.number)
    elif total is not None and (confirmed := _misread_total(rows, labelled, total)) is not None:
        total, total_field = _read_as(total, confirmed, page.number)
        misread = True
    elif total is not None:
        total, total_field = _after_rounding(rows, labelled, total, page.number, total_score)
    items, subtotal, tax, check = (
        itemise.items_and_check(rows, money, total, page.number)
        if total is not None
        else ((), None, (), "unchecked")
    )
    warnings: tuple[str, ...] = ("totals_mismatch",) if check == "mismatch" else ()
    if misread:
        warnings += ("total_misread",)
    if split is not None:
        warnings += ("several_receipts",)
    return Receipt(
        kind="invoice"
        if any("INVOICE" in r.upper for r in header.head_rows(rows) + rows[:8])
        else "receipt",
        page=page.number,
        confidence=min(1.0, 0.5 + 0.1 * total_score),
        merchant=_row_field(merchant_rows, merchant_conf, page.number, name) if name else None,
        address=_row_field(address, 0.6, page.number, address_value) if address else None,
        # the United States print the month first
        date=_date(rows, page.number, month_first=country is not None and country[0] == "USD"),
        time=_time(rows, page.number),
        currency=_currency(rows, money, page.number, country, total),
        total=total_field,
        subtotal=_money_field(subtotal, 0.7, page.number) if subtotal else None,
        tax=_tax_field(tax, page.number) if tax else None,
        payment_method=_payment(rows, _position(rows, total), page.number),
        note=_note_field(note, page.number) if note is not None else None,
        items=items,
        totals_check=check,
        warnings=warnings,
    )


def _seller(rows: Sequence[Row]) -> tuple[list[Row], str, float, list[Row], Row | None]:
    """The merchant's rows, name and confidence, its address rows and a note written above
    them: when the head is printed in two columns (``_receipt_columns``), from the column
    whose name reads most like a seller's (a customer's name under "Bill to" scores less),
    else from the rows as they are."""
    found: list[tuple[list[Row], str, float, list[Row], Row | None]] = []
    for candidate in columns.head_columns(rows):
        name_rows, name, confidence = header.merchant_rows(candidate, header.head_rows(candidate))
        name = "" if _misread_name(name) else _plain(name)
        address = header.address_rows(candidate, name_rows)
        note = header.note_row(candidate, name_rows)
        found.append((name_rows, name, confidence if name else -1.0, address, note))
    # the column whose name reads most like a seller's, the left one on a tie
    best = max(found, key=lambda seller: seller[2])
    return (*best[:2], max(best[2], 0.0), *best[3:])


def _total(
    rows: Sequence[Row], money: dict[int, list[Money]]
) -> tuple[Money | None, float, tuple[Money, ...]]:
    """The amount paid, its score (see rule 3 of the module docstring), and, when no
    printed total agrees with what the other amounts add up to, the amounts it was worked
    out from instead (cash and change)."""
    candidates: list[tuple[float, Money]] = []
    summary = next((p for p, r in enumerate(rows) if _SUMMARY.search(r.upper)), len(rows))
    for position, row in enumerate(rows):
        text = row.upper
        if not _TOTAL.search(text) or _NOT_TOTAL.search(text):
            continue
        amounts = money[row.index] or _next_amounts(rows, position, money)
        if not amounts:
            continue
        score = 2.0 + (1.5 if _STRONG.search(text) else 0.0) + position / max(len(rows), 1)
        score -= 2.0 if position > summary or _tax_columns(amounts) else 0.0
        candidates.append((score, amounts[-1]))
    tendered = _tendered_and_change(rows, money)
    paid = tendered[0].value - tendered[1].value if tendered else None
    sums = _sums(rows, money)
    candidates = [
        (s + (3.0 if m.value == paid else 0.0) + (1.5 if m.value in sums else 0.0), m)
        for s, m in candidates
    ]
    candidates = [(s + (0.0 if m.value > 0 else -5.0), m) for s, m in candidates]
    best = max(candidates, key=lambda item: item[0], default=None)
    agreed = best is not None and (best[1].value == paid or best[1].value in sums)
    unsure = best is None or best[0] < 2.0
    if tendered and paid and not agreed and (paid in sums or (unsure and not sums)):
        return tendered[0], 1.0, tendered
    if best is None:
        return (*_paid_without_total(rows, money, paid, sums), ())
    score, amount = best
    return (amount, score, ()) if amount.value > 0 else (None, 0.0, ())


def _sums(rows: Sequence[Row], money: dict[int, list[Money]]) -> set[Decimal]:
    """What the other amounts add up to: a subtotal, or the items above the first total,
    plus a tax and a rounding or discount as printed. A printed total that is one of
    these agrees with them; one that is none may be misread."""
    return set().union(*_sums_by_base(rows, money))


def _sums_by_base(rows: Sequence[Row], money: dict[int, list[Money]]) -> list[set[Decimal]]:
    """``_sums`` apart by what they start from: each printed subtotal, and the items
    (a subtotal that the items add up to counts twice: two figures agree)."""
    first = _first_total(rows)
    bases = [
        m[-1].value for r in rows if itemise.SUBTOTAL.search(r.upper) and (m := money[r.index])
    ]
    bases.append(itemise.items_sum(rows, money, first))
    taxes = {Decimal(0)} | {
        m[-1].value
        for r in rows
        if itemise.TAX.search(r.upper) and not _names_total(r.upper) and (m := money[r.index])
    }
    adjusts = {Decimal(0)} | {
        m[-1].value for r in rows if itemise.ADJUST.search(r.upper) and (m := money[r.index])
    }
    return [{b + t + a for t in taxes for a in adjusts} for b in bases if b > 0]


def _worked_out(cash: Money, worked: tuple[Money, ...], page: int) -> tuple[Money, ReceiptField]:
    """The total as the money handed over less the change given back, when no printed
    total agrees with it and the other amounts do (or no total could be read)."""
    value = worked[0].value - worked[1].value
    text = " - ".join(m.text.strip() for m in worked)
    boxes = tuple(box for m in worked for box in m.boxes)
    conf = 0.5 * min(m.row.confidence for m in worked)
    field = ReceiptField(f"{value:.2f}", text, conf, boxes, page)
    return dataclasses.replace(cash, value=value), field


def _misread_total(
    rows: Sequence[Row], money: dict[int, list[Money]], total: Money
) -> Decimal | None:
    """The amount a printed total was misread from: the one amount that two of the other
    figures confirm (cash less change, or the cash handed over when no change is given;
    a printed subtotal, and the items, each with the tax and rounding) and that differs
    from the printed total in a single digit ("17.80" where the cash is 11.80 and the
    items add up to 11.80). A total printed alike on two total rows is taken as read,
    and so is one that any figure confirms; a difference of more than one digit is a
    discount or a charge the rules do not know, not a misreading. One figure is not
    enough: where cash less change alone disagrees, the change may be the misread print.
    """
    figures = _sums_by_base(rows, money)
    paid = _cash_minus_change(rows, money)
    cash = paid if paid is not None else _cash_alone(rows, money)
    if cash is not None and cash > 0:
        figures.append({cash})
    if any(total.value in figure for figure in figures):
        return None
    alike = [
        r
        for r in rows
        if _names_total(r.upper) and total.value in {m.value for m in money[r.index]}
    ]
    if len(alike) > 1:
        return None
    near = Counter(
        value for figure in figures for value in figure if _one_digit_apart(value, total.value)
    )
    confirmed = [value for value, count in near.items() if count >= 2]
    return confirmed[0] if len(confirmed) == 1 else None


def _cash_alone(rows: Sequence[Row], money: dict[int, list[Money]]) -> Decimal | None:
    """The cash handed over, on a receipt that prints no change (paid exactly)."""
    if any(_CHANGE.search(r.upper) for r in rows):
        return None
    for row in rows:
        if money[row.index] and _CASH.search(row.upper) and _tendered(row.upper):
            return abs(money[row.index][-1].value)
    return None


def _one_digit_apart(one: Decimal, other: Decimal) -> bool:
    """Two amounts written with the same number of digits that differ in exactly one."""
    a, b = f"{one:.2f}", f"{other:.2f}"
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _read_as(total: Money, value: Decimal, page: int) -> tuple[Money, ReceiptField]:
    """The printed total (its text and boxes, at half its confidence) with the amount the
    other figures confirm: the user sees which print was read again, and a warning."""
    conf = 0.5 * total.row.confidence
    field = ReceiptField(f"{value:.2f}", total.text.strip(), conf, total.boxes, page)
    return dataclasses.replace(total, value=value), field


def _names_total(text: str) -> bool:
    """The row is labelled as the total ("TOTAL INCL GST"), not as a part of it ("TOTAL
    TAX", "SUBTOTAL")."""
    return bool(_TOTAL.search(text)) and not _NOT_TOTAL.search(text)


def _stacked(rows: Sequence[Row], money: dict[int, list[Money]]) -> dict[int, list[Money]]:
    """The amounts of each row, where a label row without one ("ROUNDING", "CASH") from
    the first total on takes those of the amount-only row under it: tills that stack
    labels and values, or a curved photo whose value column drifted a row down. (Above
    the totals such a pair is an item's name over its price.)"""
    out = dict(money)
    first = _first_total(rows)
    for position, row in enumerate(rows[first:], start=first):
        if not money[row.index] and sum(c.isalpha() for c in row.upper) >= 3:
            out[row.index] = _next_amounts(rows, position, money)
    return out


def _tax_columns(amounts: Sequence[Money]) -> bool:
    """An amount and the tax on it side by side ("TOTAL : 52.00 3.12"): the total row of
    a tax summary, whose last amount is the tax, not the amount paid."""
    if len(amounts) < 2:
        return False
    base, tax = amounts[-2].value, amounts[-1].value
    return base > 0 and 0 <= tax <= Decimal("0.25") * base


def _till_slip(rows: Sequence[Row], money: dict[int, list[Money]]) -> bool:
    """A page whose total could not be read is still a receipt when it reads like a till
    slip: a date, three priced rows or more, and a total or cash label. Its merchant,
    address and date are then kept, and its total is left empty."""
    priced = sum(1 for row in rows if money[row.index])
    labels = any(_TOTAL.search(r.upper) or _CASH.search(r.upper) for r in rows)
    return priced >= 3 and labels and any(_dates_in(row.text) for row in rows)


def _more_evidence(rows: Sequence[Row], money: dict[int, list[Money]], total: Money) -> bool:
    """A total alone is a sentence with an amount; a receipt also has a date or another
    priced row."""
    priced = sum(1 for row in rows if row.index != total.row.index and money[row.index])
    return priced >= 1 or any(_dates_in(row.text) for row in rows)


def _after_rounding(
    rows: Sequence[Row], money: dict[int, list[Money]], total: Money, page: int, score: float
) -> tuple[Money, ReceiptField]:
    """The total after a rounding adjustment printed under it (under 0.10): the rounded
    total printed further down, or, when none is printed but cash less change confirms
    it, the total plus the adjustment (its boxes are both rows)."""
    confidence = min(1.0, 0.5 + 0.1 * score)
    field = _money_field(total, confidence, page)
    below = [r for r in rows if r.index > total.row.index]
    adjust = next(
        (money[r.index][-1] for r in below if _ROUNDING.search(r.upper) and money[r.index]), None
    )
    if adjust is None or adjust.value == 0 or abs(adjust.value) >= Decimal("0.10"):
        return total, field
    target = total.value + adjust.value
    for row in below:
        amounts = money[row.index]
        later = row.index > adjust.row.index and _TOTAL.search(row.upper)
        if later and amounts and amounts[-1].value == target:
            return amounts[-1], _money_field(amounts[-1], confidence, page)
    if _cash_minus_change(rows, money) == target:
        text = f"{total.text.strip()} {adjust.text.strip()}"
        conf = 0.8 * field.confidence
        return total, ReceiptField(f"{target:.2f}", text, conf, total.boxes + adjust.boxes, page)
    return total, field


def _paid_without_total(
    rows: Sequence[Row], money: dict[int, list[Money]], paid: Decimal | None, sums: set[Decimal]
) -> tuple[Money | None, float]:
    """No row names a total with an amount: on a page that has a date, the cash paid (less
    change), unless the subtotal or items add up to something else (the cash is then the
    money handed over, not the total); else, when no row is labelled as a total, subtotal
    or cash in the words the rules know (a receipt in another language), the first amount
    that the priced rows above it add up to (``_added_up``)."""
    if not any(_dates_in(row.text) for row in rows):
        return None, 0.0
    for position, row in enumerate(rows):
        if _CASH.search(row.upper):
            amounts = money[row.index] or _next_amounts(rows, position, money)
            value = amounts[-1].value if amounts else Decimal(0)
            if value > 0 and (paid is None or paid == value) and (not sums or value in sums):
                return amounts[-1], 0.5
    labels = (_TOTAL, itemise.SUBTOTAL, _CASH)
    if any(label.search(row.upper) for row in rows for label in labels):
        return None, 0.0
    added = _added_up(rows, money)
    return (added, 0.5) if added is not None else (None, 0.0)


def _added_up(rows: Sequence[Row], money: dict[int, list[Money]]) -> Money | None:
    """The first row's amount that the last amounts of two or more priced rows right
    above it add up to, to the cent ("2 x Pivo 118,00" + "Gulas 189,00" over "Celkem Kc
    307,00"): a total is the sum of the items, whatever the receipt's language calls it."""
    above: list[Decimal] = []
    for row in rows:
        amounts = money[row.index]
        if not amounts:
            continue
        value = amounts[-1].value
        if len(above) >= 2 and value > 0 and value == sum(above, Decimal(0)):
            return amounts[-1]
        above.append(value)
    return None


def _next_amounts(rows: Sequence[Row], position: int, money: dict[int, list[Money]]) -> list[Money]:
    """Amounts printed under a label row (labels and values stacked), if the next row is
    only an amount."""
    if position + 1 >= len(rows):
        return []
    below = rows[position + 1]
    found = money[below.index]
    letters = sum(c.isalpha() for c in below.upper.replace("RM", ""))
    return found if found and letters <= 2 else []


def _cash_minus_change(rows: Sequence[Row], money: dict[int, list[Money]]) -> Decimal | None:
    found = _tendered_and_change(rows, money)
    return found[0].value - found[1].value if found else None


def _tendered_and_change(
    rows: Sequence[Row], money: dict[int, list[Money]]
) -> tuple[Money, Money] | None:
    """The money handed over and the change given back (both as printed, made positive)."""
    cash = change = None
    for row in rows:
        amounts = money[row.index]
        if not amounts:
            continue
        if change is None and _CHANGE.search(row.upper) and cash is not None:
            change = _positive(amounts[-1])
        elif cash is None and _CASH.search(row.upper) and _tendered(row.upper):
            cash = _positive(amounts[-1])
    if cash is None or change is None or change.value >= cash.value:
        return None
    return cash, change


def _positive(amount: Money) -> Money:
    return dataclasses.replace(amount, value=abs(amount.value))


def _tendered(text: str) -> bool:
    """A cash row that is not itself a total: "CASH 50.00", and "TOTAL PAID 50.00" (the
    money handed over, with change given back), but not "AMT PAID INCL GST"."""
    return not _TOTAL.search(text) or bool(_TOTAL_PAID.search(text) and not _STRONG.search(text))


_TOTAL_PAID = re.compile(r"\bTOTAL\s*(PAID|TENDERED)\b")


def _date(rows: Sequence[Row], page: int, *, month_first: bool = False) -> ReceiptField | None:
    found: list[tuple[float, Row, int, int, str]] = []
    for position, row in enumerate(rows):
        for start, end, value in _dates_in(row.text, month_first=month_first):
            score = (1.0 if _DATE_WORD.search(row.upper) else 0.0) - position * 0.01
            found.append((score, row, start, end, value))
    if not found:
        return None
    values = {item[4] for item in found}
    score, row, start, end, value = max(found, key=lambda item: item[0])
    confidence = 0.9 if len(values) == 1 or score >= 1.0 else 0.6
    return ReceiptField(value, row.text[start:end], confidence, row.boxes(start, end), page)


def _dates_in(text: str, *, month_first: bool = False) -> list[tuple[int, int, str]]:
    """Dates in ``text``: numeric day first (unless impossible; month first with slashes
    when ``month_first``, as in the United States), year first, month names."""
    found: list[tuple[int, int, str]] = []
    upper = text.upper()
    for index, pattern in enumerate(_EXTRA_DATES):
        for m in pattern.finditer(upper):
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            g = m.groups()
            if index == 0:
                parts = (int(g[0]), int(g[2]), int(g[3]))
            elif index == 1:
                year = int(g[3]) + (2000 if len(g[3]) == 2 else 0)
                first, second = int(g[0]), int(g[2])
                american = month_first and g[1] == "/" and first <= 12
                if american or first <= 12 < second:
                    parts = (year, first, second)
                else:
                    parts = (year, second, first)
            elif index == 2:
                year = int(g[2]) + (2000 if len(g[2]) == 2 else 0)
                parts = (year, _MONTHS.index(g[1][:3]) + 1, int(g[0]))
            else:
                parts = (int(g[2]), _MONTHS.index(g[0][:3]) + 1, int(g[1]))
            value = _iso(*parts)
            if value:
                found.append((m.start(), m.end(), value))
    return sorted(item for item in found if "1990" <= item[2][:4] <= "2099")


def _iso(year: int, month: int, day: int) -> str:
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _time(rows: Sequence[Row], page: int) -> ReceiptField | None:
    for row in rows:
        if not _dates_in(row.text) and "TIME" not in row.upper:
            continue
        m = _TIME.search(row.text)
        if m:
            hour = int(m.group(1)) % 12 + (12 if (m.group(4) or "").upper() == "PM" else 0)
            if not m.group(4):
                hour = int(m.group(1))
            value = f"{hour:02d}:{m.group(2)}" + (f":{m.group(3)}" if m.group(3) else "")
            boxes = row.boxes(m.start(), m.end())
            return ReceiptField(value, m.group(0), 0.8, boxes, page)
    return None


def _currency(
    rows: Sequence[Row],
    money: dict[int, list[Money]],
    page: int,
    country: Country | None = None,
    total: Money | None = None,
) -> ReceiptField | None:
    """The currency of the first amount printed with one; else the currency a column
    heading or a total's label names ("AMOUNT (RM)", "TOTAL RM", "Tax(RM)", or "Celkem Kč"
    on the row of the ``total``), which many tills print instead of a sign on every
    amount; else, with less confidence, the currency of the country the shop's address is
    in (``country``, from ``_country``). A dollar sign is that country's dollar (Malaysian
    tills print "$" for ringgit, Singapore's and Australia's their dollars), else the US
    dollar."""
    for row in rows:
        for amount in money[row.index]:
            if amount.currency:
                value = country[0] if country and _local(amount) else amount.currency
                return ReceiptField(value, amount.text, 0.8, amount.boxes, page)
    for row in rows:
        m = _NAMED_CURRENCY.search(row.upper)
        if m and (m.group(1) or _TOTAL.search(row.upper) or (total and total.row is row)):
            sign = (m.group(1) or m.group(2)).strip()
            code = "EUR" if sign.startswith("EURO") else CURRENCY_SIGNS.get(sign, sign)
            return ReceiptField(code, m.group(0).strip(), 0.6, row.boxes(m.start(), m.end()), page)
    if country:
        code, row, start, end = country
        return ReceiptField(code, row.text[start:end], 0.4, row.boxes(start, end), page)
    return None


def _local(amount: Money) -> bool:
    """Whether the amount's sign stands for the currency of wherever the shop is: a bare
    "$" (not "US$"), or a bare "R" (the rand's sign, and what is left of a ringgit's "RM"
    when the M is not read)."""
    sign = amount.text.upper()
    return (amount.currency == "USD" and "US$" not in sign) or (
        amount.currency == "ZAR" and "R$" not in sign
    )


Country = tuple[str, Row, int, int]
"""A country's currency code, and the row and span of the words in the address naming it."""


def _country(address: Sequence[Row]) -> Country | None:
    """The currency of the country the address rows name, with where they name it."""
    for row in reversed(address):
        for code, place in _COUNTRIES:
            if m := place.search(row.upper):
                return code, row, m.start(), m.end()
    return None


_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    "NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_COUNTRIES = (
    (
        "MYR",
        re.compile(
            r"\b(MALAYSIA|SELANGOR|JOHOR|KUALA LUMPUR|PENANG|PULAU PINANG|PERAK|KEDAH|MELAKA|"
            r"PAHANG|SABAH|SARAWAK|KELANTAN|TERENGGANU|PERLIS|NEGERI SEMBILAN|PUTRAJAYA)\b"
        ),
    ),
    ("SGD", re.compile(r"\bSINGAPORE\b")),
    ("AUD", re.compile(r"\bAUSTRALIA\b|\b(NSW|VIC|QLD|TAS|ACT)\s\d{4}\b")),
    ("CAD", re.compile(r"\bCANADA\b|\b(ON|BC|QC|AB|MB|NS|NB|SK)\s[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")),
    ("NZD", re.compile(r"\bNEW ZEALAND\b")),
    ("ARS", re.compile(r"\b(ARGENTINA|BUENOS AIRES|CABA)\b")),
    ("PHP", re.compile(r"\b(PHILIPPINES|METRO MANILA)\b")),
    ("KES", re.compile(r"\b(KENYA|NAIROBI|MOMBASA)\b")),
    ("HKD", re.compile(r"\bHONG KONG\b")),
    ("MXN", re.compile(r"\bM[E\u00c9]XICO\b|\bCDMX\b")),
    ("TRY", re.compile(r"\b(T\u00dcRK\u0130YE|TURKEY|\u0130STANBUL|ISTANBUL|ANKARA)\b")),
    ("GBP", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\W*$|\bUNITED KINGDOM\b")),
    ("USD", re.compile(rf"\b(?:{_US_STATES})\s\d{{5}}(?:-\d{{4}})?\b|\bUSA\b")),
    ("EUR", re.compile(r"^\W*[1-9]\d{3}\s?[A-Z]{2}\s+[A-Z]{3,}")),  # a Dutch postcode
)
"""Countries whose currency an address shows, as the words that name them (a state and
ZIP code for the United States; a postcode of four digits and two letters, the
Netherlands'; a British postcode ending a row); a "$" there is that country's dollar,
not the US one."""
_NAMED_CURRENCY = re.compile(
    rf"\(\s*(RM|[$€£¥₹]|{CURRENCY_CODES})\s*\)|(?<![\w.])(RM|EUROS?|K\u010c|{CURRENCY_CODES})(?![\w.])"
)


def _first_total(rows: Sequence[Row]) -> int:
    """Where the first row labelled as a total is among ``rows`` (their count when none is)."""
    return next((p for p, r in enumerate(rows) if _TOTAL.search(r.upper)), len(rows))


def _position(rows: Sequence[Row], total: Money | None) -> int:
    """Where the totals begin among ``rows``: the first row labelled as a total, or the
    total's own row if that comes first (0 without a total)."""
    if total is None:
        return 0
    first = _first_total(rows)
    return min(first, next((p for p, r in enumerate(rows) if r.index == total.row.index), 0))


def _payment(rows: Sequence[Row], totals: int, page: int) -> ReceiptField | None:
    """How the receipt was paid: the last row from the totals (at position ``totals``) on
    that names a way to pay and holds an amount (above them a "card" is an item:
    "BUSINESS CARD LAYOUT"); else a row anywhere that says it ("Payment Type: Cash");
    else cash when change was given ("Paid Amount: 200.00" / "Change: 41.00"), which a
    card never gets."""
    for row in reversed(rows[totals:]):
        for name, pattern in _PAYMENTS:
            if pattern.search(row.upper) and any(find_money(row)):
                return ReceiptField(name, row.text, 0.7, row.boxes(), page)
    for row in rows:
        if (labelled := _PAYMENT_LABEL.search(row.upper)) is None:
            continue
        for name, pattern in _PAYMENTS:
            if pattern.search(row.upper, labelled.end()):
                return ReceiptField(name, row.text, 0.7, row.boxes(), page)
    for row in rows[totals:]:
        if _CHANGE_GIVEN.search(row.upper) and any(m.value > 0 for m in find_money(row)):
            return ReceiptField("cash", row.text, 0.5, row.boxes(), page)
    return None


_PAYMENT_LABEL = re.compile(r"\b(PAYMENT|PAID\s*BY|PAY\s*MODE|TENDER)\s*(TYPE|METHOD|MODE)?\s*:")
_CHANGE_GIVEN = re.compile(r"\b(CHANGE|BAKI|R\u00dcCKGELD|WECHSELGELD|RENDU|CAMBIO|VUELTO)\b")
"""``_CHANGE`` less the words that may also name what is still owed ("BALANCE", "RESTO"):
only money handed back says the receipt was paid in cash."""


def _second_receipt_at(rows: Sequence[Row]) -> float | None:
    """Where a second receipt starts, when two lie side by side (their total labels far
    apart across the page, a clear vertical gap between them that no word crosses): the
    extractor then reads only the first, and says so."""
    starts = sorted(
        row.boxes(m.start(), m.end())[0].x0
        for row in rows
        if not _NOT_TOTAL.search(row.upper)
        for m in _TOTAL.finditer(row.upper)
    )
    if len(starts) < 2:
        return None
    widest = max(r.bbox.width for r in rows)
    split = starts[-1] - 1
    words = [w for r in rows for w in r.words]
    crossing = sum(1 for w in words if w.bbox.x0 < split < w.bbox.x1)
    right = sum(1 for w in words if w.bbox.x0 >= split)
    apart = starts[-1] - starts[0] > 0.5 * widest
    return split if apart and crossing == 0 and right >= 0.25 * len(words) else None


def _misread_name(name: str) -> bool:
    """A name the recogniser visibly misread: a word starting with a small letter among
    capitalised ones ("buardian Health And Beauty", a G read as b), or a digit inside a
    word in small letters ("Roti t1e"). An empty field beats a wrong one."""
    words = [w for w in name.split() if sum(c.isalpha() for c in w) >= 3]
    titled = sum(w.istitle() for w in words)
    lower_start = any(w[0].islower() for w in words)
    return (lower_start and titled >= 2 and titled > sum(w.isupper() for w in words)) or bool(
        _DIGIT_IN_WORD.search(name)
    )


_DIGIT_IN_WORD = re.compile(r"[a-z]\d[a-z]")


def _plain(text: str) -> str:
    """Drop the stray grave or acute accent the recogniser puts on a capital A inside an
    otherwise plain capitalised word ("HARDW\u00c0RE", "\u00c1LAM"); other accents stay."""
    return _STRAY_WORD.sub(_unaccent_word, text)


def _unaccent_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if len(word) < 3 else word.replace("\u00c0", "A").replace("\u00c1", "A")


_STRAY_WORD = re.compile(r"\b[A-Z]*[\u00c0\u00c1][A-Z]*\b")


def _row_field(rows: Sequence[Row], confidence: float, page: int, value: str = "") -> ReceiptField:
    text = " ".join(row.text for row in rows)
    boxes = tuple(BBox.enclosing(w.bbox for w in row.words) for row in rows)
    conf = confidence * min(r.confidence for r in rows)
    return ReceiptField(value or text, text, conf, boxes, page)


def _note_field(row: Row, page: int) -> ReceiptField:
    """The note's own word boxes, by which ``pipeline.assemble`` takes it out of the text."""
    text = row.text.strip()
    return ReceiptField(text, text, 0.6 * row.confidence, tuple(w.bbox for w in row.words), page)


def _tax_field(taxes: Sequence[Money], page: int) -> ReceiptField:
    """The tax, one rate's row as printed or several rates' rows added up ("RM 2,39 +
    2,25" is 4.64)."""
    if len(taxes) == 1:
        return _money_field(taxes[0], 0.7, page)
    value = sum((t.value for t in taxes), Decimal(0))
    text = " + ".join(t.text.strip() for t in taxes)
    conf = 0.7 * min(t.row.confidence for t in taxes)
    return ReceiptField(f"{value:.2f}", text, conf, tuple(b for t in taxes for b in t.boxes), page)


def _money_field(amount: Money, confidence: float, page: int) -> ReceiptField:
    conf = confidence * amount.row.confidence
    return ReceiptField(f"{amount.value:.2f}", amount.text.strip(), conf, amount.boxes, page)
