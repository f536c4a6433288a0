"""Fields found in the text: emails, URLs, phone numbers, dates, money, key: value pairs.

Matching runs line by line on the recognised text; each match keeps the enclosing box
of the words it covers. Patterns are deliberately strict (a false field is worse than a
missing one), and values are normalised:

- email: lower-cased; url: with a scheme (``www.`` gets ``https://``);
- phone: ``+`` and digits when written with a country code, digits otherwise;
- date: ISO ``YYYY-MM-DD``; numeric dates are read day first unless that is impossible;
- amount: ``"1234.50 EUR"``; ``$`` is read as USD, ``RM`` as MYR;
- key_value: ``key`` lower-cased, ``value`` as written; a line printed in columns
  ("COUNTER 3        CASHIER: 1") is read column by column, so a key never takes in the
  column before it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence

from masthead.ocr.document import BBox, Field, FieldKind, Line, Page

_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}(?![\w@-])"
)
_URL = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+/.,-])(\+\d{1,3}[\s.-]?)?(\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){0,4}(?![\w/])"
)
_PRICE = re.compile(r"\d+[.,]\d{2}")
_NUMBER_LABEL = re.compile(
    r"\b(?:GST|SST|VAT|TAX|REG|ID|ACC|A/C|ACCOUNT|INV|INVOICE|CARD|ROC)\b\W*$", re.I
)
_ISO_DAY = re.compile(r"(?:19|20)\d{2}-[01]\d-[0-3]\d")
_PHONE_WORD = re.compile(r"\b(?:tel|phone|fax|mobile|mob|call|ph|hp)\b\.?\s*:?\s*$", re.I)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATES = (
    re.compile(r"(?<![\d.:/-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d.:/-]|-\d)"),
    re.compile(r"(?<![\d.:/-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d.:/-])"),
    re.compile(rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})(?!\d)", re.I),
    re.compile(rf"(?<!\w){_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I),
)
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RM": "MYR"}
_CODES = "USD|EUR|GBP|JPY|INR|CHF|CAD|AUD|MYR|SGD|CNY|SEK|NOK|DKK|PLN"
_NUMBER = r"-?\d{1,3}(?:[,.\u202f ]\d{3})*(?:[.,]\d{1,2})?|-?\d+(?:[.,]\d{1,2})?"
_SYMBOL = r"[$€£¥₹]|RM(?=\s?\d)|" + _CODES
_MONEY = (
    re.compile(rf"(?<![\w$€£¥₹-])(-?)({_SYMBOL})\s?({_NUMBER})(?![\d.,]*\d)"),
    re.compile(rf"(?<![\w.,])({_NUMBER})\s?([€£]|{_CODES})(?![A-Za-z])"),
)
_KEY_COLON = re.compile(r"^\s*([A-Za-z][\w .#/&()'-]{0,38}?)\s*:\s*(\S.{0,200}?)\s*$")
_NEXT_LABEL = re.compile(r"(?<=\S)\s+([A-Z][A-Za-z.#/]*(?:\s[A-Z][A-Za-z.#/]*)?)\s*:\s*(?=\S)")
_KEY_TOTAL = re.compile(
    r"^\s*((?:sub\s?-?\s?)?total(?:\s+(?:due|amount|incl\.?\s+\w+))?|tax|gst|vat|cash|change|"
    r"balance(?:\s+due)?|amount\s+due|rounding|discount|tip|net\s+total|grand\s+total)\b"
    r"(?:\s*\d{1,2}(?:[.,]\d+)?\s?%)?[^\d:\n]{0,20}?([$€£¥₹]?\s?(?:RM\s?)?-?\d[\d,.]*\d|\d)\s*$",
    re.IGNORECASE,
)


def find_fields(pages: Sequence[Page]) -> tuple[Field, ...]:
    """Every field on ``pages``, in page and reading order."""
    return tuple(
        f for page in pages for line in page.lines for f in find_in_line(line, page.number)
    )


def find_in_line(line: Line, page: int) -> list[Field]:
    """Fields in one line, ordered by position."""
    text, spans = _text_with_spans(line)
    found: list[tuple[int, Field]] = []
    taken: list[tuple[int, int]] = []
    for kind, start, end, value, key in _matches(text, _columns(text, spans, line.bbox.height)):
        if kind != "key_value" and any(s < end and start < e for s, e in taken):
            continue
        if kind != "key_value":
            taken.append((start, end))
        bbox = _bbox(spans, start, end, line.bbox)
        found.append((start, Field(kind, value, text[start:end], bbox, page, key)))
    return [field for _, field in sorted(found, key=lambda item: item[0])]


COLUMN_GAP = 2.0
"""A blank this many line heights wide between two words parts the line into columns."""


def _columns(
    text: str, spans: Sequence[tuple[int, int, BBox]], height: float
) -> list[tuple[int, int]]:
    """``(start, end)`` of each column of a line printed as several ("COUNTER 3 ...
    CASHIER: 1" is two): a wide blank parts them where a label and its colon start the
    text after it. A value in a column of its own stays with its label ("Date:
    12/01/2018", "Cash      20.20")."""
    columns: list[tuple[int, int]] = []
    start = 0
    for (_, end, box), (next_start, _, next_box) in itertools.pairwise(spans):
        wide = next_box.x0 - box.x1 >= COLUMN_GAP * height
        if wide and not text[:end].rstrip().endswith(":") and _LABEL.match(text[next_start:]):
            columns.append((start, end))
            start = next_start
    return [*columns, (start, len(text))]


_LABEL = re.compile(r"[A-Za-z][\w .#/&()'-]{0,38}?\s*:")


def _matches(
    text: str, columns: Sequence[tuple[int, int]]
) -> Iterator[tuple[FieldKind, int, int, str, str]]:
    for m in _EMAIL.finditer(text):
        yield "email", m.start(), m.end(), m.group().lower(), ""
    for m in _URL.finditer(text):
        url = _trim_url(m.group())
        value = url if "://" in url else "https://" + url
        yield "url", m.start(), m.start() + len(url), value, ""
    for start, end, value in _dates(text):
        yield "date", start, end, value, ""
    for m, symbol, number in _money(text):
        yield "amount", m.start(), m.end(), f"{_amount(number)} {_currency(symbol)}", ""
    for m in _PHONE.finditer(text):
        value = _phone(m.group(), text[: m.start()])
        if value:
            yield "phone", m.start(), m.end(), value, ""
    for start, end in columns:
        column = text[:end]  # each pattern matched from ``start`` ("^" would not match there)
        kv = _KEY_COLON.match(column[start:]) or _KEY_TOTAL.match(column[start:])
        if kv and not _URL.match(column, start):
            at = [start + kv.start(1), start + kv.end(1), start + kv.start(2), start + kv.end(2)]
            yield from _pairs(column, *at)


def _pairs(
    text: str, key_start: int, key_end: int, start: int, end: int
) -> Iterator[tuple[FieldKind, int, int, str, str]]:
    """The pair whose key is ``text[key_start:key_end]`` and value ``text[start:end]``,
    and the pairs printed after it on the same line: a one-word value followed by another
    capitalised label and a colon ("Doc No : CS00012664 Date: 11/01/2018") is two pairs."""
    key = " ".join(text[key_start:key_end].lower().split())
    m = _NEXT_LABEL.search(text, start, end)
    if m is None or " " in text[start : m.start()].strip():
        yield "key_value", key_start, end, text[start:end].strip(), key
        return
    yield "key_value", key_start, m.start(), text[start : m.start()].strip(), key
    yield from _pairs(text, m.start(1), m.end(1), m.end(), end)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, ISO date)`` for every date in ``text``, left to right."""
    return sorted(_dates(text))


def _text_with_spans(line: Line) -> tuple[str, list[tuple[int, int, BBox]]]:
    spans: list[tuple[int, int, BBox]] = []
    offset = 0
    for word in line.words:
        spans.append((offset, offset + len(word.text), word.bbox))
        offset += len(word.text) + 1
    return line.text, spans


def _bbox(spans: list[tuple[int, int, BBox]], start: int, end: int, fallback: BBox) -> BBox:
    boxes = [box for s, e, box in spans if s < end and start < e]
    return BBox.enclosing(boxes) if boxes else fallback


def _trim_url(url: str) -> str:
    while (url and url[-1] in ".,;:!?'\"") or (
        url.endswith(")") and url.count("(") < url.count(")")
    ):
        url = url[:-1]
    return url


def _dates(text: str) -> Iterator[tuple[int, int, str]]:
    for index, pattern in enumerate(_DATES):
        for m in pattern.finditer(text):
            g = m.groups()
            if index == 0:
                parts = (int(g[0]), int(g[1]), int(g[2]))
            elif index == 1:
                parts = _day_first(int(g[0]), int(g[2]), _year(g[3]))
            elif index == 2:
                parts = (int(g[2]), _MONTHS[g[1][:3].lower()], int(g[0]))
            else:
                parts = (int(g[2]), _MONTHS[g[0][:3].lower()], int(g[1]))
            try:
                yield m.start(), m.end(), dt.date(*parts).isoformat()
            except ValueError:
                continue


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _day_first(first: int, second: int, year: int) -> tuple[int, int, int]:
    if first <= 12 < second:
        return (year, first, second)
    return (year, second, first)


def _money(text: str) -> Iterator[tuple[re.Match[str], str, str]]:
    for m in _MONEY[0].finditer(text):
        number = m.group(3)
        yield m, m.group(2), ("-" + number if m.group(1) and not number.startswith("-") else number)
    for m in _MONEY[1].finditer(text):
        yield m, m.group(2), m.group(1)


def _currency(symbol: str) -> str:
    return _CURRENCIES.get(symbol, symbol.upper())


def _amount(number: str) -> str:
    """``"1.234,5"`` -> ``"1234.50"``: the last separator followed by 1-2 digits is decimal."""
    digits = number.replace("\u202f", "").replace(" ", "")
    m = re.search(r"[.,](\d{1,2})$", digits)
    whole, cents = (digits[: m.start()], m.group(1)) if m else (digits, "0")
    whole = re.sub(r"[.,]", "", whole) or "0"
    return f"{int(whole)}.{cents.ljust(2, '0')}" if whole != "-" else f"-0.{cents.ljust(2, '0')}"


def _phone(match: str, before: str) -> str:
    digits = re.sub(r"\D", "", match)
    if not 7 <= len(digits) <= 15:
        return ""
    groups = len(re.findall(r"\d+", match))
    marked = match.startswith(("+", "(")) or bool(_PHONE_WORD.search(before))
    if not marked and (groups < 3 or re.fullmatch(r"[\d.]+", match)):
        return ""
    if not marked and any(_PRICE.fullmatch(part) for part in match.split()):
        return ""  # "1 X 19.00 19.00": a price and an amount on an item's row
    if not marked and (_NUMBER_LABEL.search(before) or _ISO_DAY.search(match)):
        return ""  # "GST ID: 0013 7941 8112", "001-2016-07-31 13": a number of another kind

    return ("+" + digits) if match.startswith("+") else digits
