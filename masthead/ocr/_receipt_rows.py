"""Rows of a receipt and the values printed in them; private to ``receipts``.

Receipts are narrow single-column prints, but the general layout stage may join words of
neighbouring rows when one glyph is tall or the paper is skewed. The extractor therefore
rebuilds rows from the words: a word joins the row whose middle lies within half a
typical word height of its own, heights measured with the page's skew taken out (a
photographed receipt's rows slope, and a sloping row would otherwise lend its right end
to the row above). Words twice as tall as usual (stamps, smudges, logo lettering) do not
widen a row: such a word joins the row it spans, and one that spans no row (a logo above
the name) makes a row of its own with its like. Each row keeps its words, so every value
found in it keeps its boxes.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from masthead.ocr.document import BBox, Word
from masthead.ocr.layout import skew_angle

CURRENCY_SIGNS = {
    "RM": "MYR", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "RS": "INR",
    "RS.": "INR", "R": "ZAR", "R$": "BRL",
    "US$": "USD", "S$": "SGD", "SG$": "SGD", "A$": "AUD", "AU$": "AUD", "C$": "CAD",
    "CA$": "CAD", "HK$": "HKD", "NZ$": "NZD", "₱": "PHP", "P": "PHP", "RP": "IDR", "RP.": "IDR",
    "₩": "KRW", "₫": "VND", "Đ": "VND", "円": "JPY", "FT": "HUF", "KČ": "CZK", "KSH": "KES",
}  # fmt: skip
CURRENCY_CODES = (
    "MYR|USD|EUR|GBP|SGD|AUD|CAD|CHF|JPY|INR|IDR|THB|PHP|HKD|CNY|SEK|NOK|DKK|PLN|KRW|VND|CZK|HUF|"
    "NZD|ZAR|KES|NGN|AED|SAR|BRL|MXN"
)
TAX_NAMES = (
    "GST|SST|TAX|VAT|MWST|UST|TVA|IVA|BTW|MOMS|MVA|DPH|ALV|\u00c1FA|PPN|PB1|KDV|CGST|SGST|IGST|"
    "UTGST|HST|PST|QST|TPS|TVQ|TVH"
)
"""Taxes as receipts name them: sales and value-added taxes (Malaysia's GST and SST, VAT,
MwSt, TVA, IVA, BTW, moms, MVA, DPH, ALV, ÁFA, KDV, Indonesia's PPN and restaurant tax PB1),
India's central, state and integrated GST, and Canada's GST/HST and provincial taxes in
English and French (PST, QST; TPS, TVQ, TVH)."""
_MONEY = re.compile(
    rf"(?:(?<![\w.,/-])|(?<=[A-Za-z\d])(?=R[Mm]\d))(?P<sign>-)?\s?(?P<cur>R[Mm]|R[Ss]\.?|R[Pp]\.?|R\$|R(?=\s?\d)|P(?=\d)|K[Ss][Hh]|(?:US|SG?|AU?|CA?|HK|NZ)?\$|[€£¥₹₱]|{CURRENCY_CODES})?\s?(?P<sign2>-)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{2})|\d{1,3}(?:\.\d{3})+(?:,\d{2})|\d+[.,]\d{2})"
    r"(?![\d.,]*\d)(?:\s?(?P<cur2>€|K[čČ]|" + CURRENCY_CODES + r"))?",
)

_WHOLE_SIGN = r"R[Pp]\.?|IDR|[¥₩]|JPY|KRW|VND"
_WHOLE_MONEY = re.compile(
    rf"(?<![\w.,/-])(?P<sign>-)?\s?(?:(?P<cur>{_WHOLE_SIGN})\s?"
    r"(?P<num>\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3}){0,4}|\d{1,15})|"
    r"(?P<num2>\d{1,3}(?:(?P<sep2>[., ])\d{3}(?:(?P=sep2)\d{3}){0,4})?|\d{1,15})\s?"
    r"(?P<cur2>[₫円]|VND|Đ|Ft|HUF))"
    r"(?![\d.,]*\d)"
)
"""An amount in a currency without cents (rupiah, yen, won, dong, forint): its sign or
code is printed with it, and its thousands are grouped with points or commas ("Rp 52.800",
"¥1,280", "45.000₫"), or a space before "Ft" ("4 180 Ft"), which ``_MONEY`` would not take
for a whole number. "Ft" only as Hungary prints it: "10 FT" is a length. Bounded groups
(a thousand billion at most) keep a long row of digits a linear search."""


_SPACED = re.compile(r"(?<!\S)[A-Z](?: [A-Z]){3,}(?!\S)")
_LETTER_ONE = re.compile(r"(?<=[A-Z]{3})1\b|(?<=[A-Z])1(?=[A-Z])")
_LETTER_ZERO = re.compile(r"(?<=[A-Z])0(?=[A-Z])")
# TOTAL with its T read as I and its O as U or 0, as narrow till fonts come out ("IUIAL")
_TOTAL_SLIP = re.compile(r"(?<![A-Z])(SUB\s?)?[TI][OU0][TI]A[LI](?![A-Z])")
_GLUED_RM = re.compile(r"(?<=[A-Z])(?=RM\d)")
_RM_ONE = re.compile(r"(?<=R[Mm])[IlO](?=\d*[.,]\d{2}(?!\d))")


@dataclass(frozen=True, slots=True)
class Row:
    """One printed row: its words left to right, and the text they make."""

    index: int
    words: tuple[Word, ...]
    bbox: BBox
    height: float
    _upper: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every rule matches labels against ``upper``: work it out once per row.
        object.__setattr__(self, "_upper", label_text(self.text))

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def upper(self) -> str:
        """The text in capitals for matching labels (see ``label_text``)."""
        return self._upper

    @property
    def confidence(self) -> float:
        return min((w.confidence for w in self.words), default=0.0)

    def boxes(self, start: int = 0, end: int | None = None) -> tuple[BBox, ...]:
        """Boxes of the words covering characters ``start:end`` of ``text``."""
        stop = len(self.text) if end is None else end
        found: list[BBox] = []
        offset = 0
        for word in self.words:
            if offset < stop and start < offset + len(word.text):
                found.append(word.bbox)
            offset += len(word.text) + 1
        return tuple(found) or (self.bbox,)


def label_text(text: str) -> str:
    """``text`` in capitals, with the recogniser's slips inside a word undone: a 1 or 0
    among letters is the l or O it resembles ("Tota1", "J1n"), TOTAL with its T read as
    I and O as U ("IUIAL", "SUBIUIAL"), a label one lookalike away from itself is the
    label ("lel:" for "TEL:", "GSI Keg" for "GST REG", ``_mended_label``), an amount glued
    to its label is set apart ("TOTALRM21.85"), and a word printed letter-spaced ("T O T
    A L") is read as one."""
    text = " ".join(text.upper().split())
    text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _LABEL_WORD.sub(lambda m: _mended_label(m.group(0)), text)
    text = _TOTAL_SLIP.sub(lambda m: f"{'SUB' if m.group(1) else ''}TOTAL", text)
    if any(c.isdigit() for c in text):
        text = _GLUED_RM.sub(" ", _LETTER_ZERO.sub("O", _LETTER_ONE.sub("L", text)))
    return text


_LABEL_WORD = re.compile(r"(?<![A-Z\d])[A-Z\d(]{3,11}(?![A-Z\d])")
_LABELS = frozenset({
    "TEL", "FAX", "GST", "SST", "REG", "ROC", "SSM", "TAX", "PHONE", "EMAIL", "INVOICE",
    "RECEIPT", "WELCOME", "COMPANY", "CASHIER", "TABLE", "BILL", "CASH", "CHANGE", "ROUNDING",
    "DISCOUNT", "SUBTOTAL", "TOTAL", "DATE", "TIME", "COPY", "REPRINT", "OFFICIAL", "THANK",
    "THANKS", "SLIP", "MEMBER", "SERVICE", "CHARGE", "AMOUNT",
})  # fmt: skip
"""The words the rules read labels, titles and greetings by."""
_LOOKALIKE = {
    "I": "TL1", "L": "TI", "T": "IL", "1": "IL", "5": "S", "S": "5", "0": "OD", "O": "0D",
    "D": "O", "6": "G", "G": "6", "K": "R", "R": "K", "F": "E", "E": "F", "8": "B", "B": "8",
    "H": "N", "N": "H", "(": "C", "C": "(",
}  # fmt: skip
"""Characters a recogniser reads for one another in thin till print, either way."""


def _misreadings() -> dict[str, str]:
    """Every way of reading one label with one character taken for its lookalike, and the
    label it stands for ("IEL" -> "TEL", "KEG" -> "REG", "WEICOME" -> "WELCOME"); a reading
    near two labels, or one that is a label itself, is left out. Worked out once, so that
    mending a row's words is a lookup."""
    near: dict[str, set[str]] = {}
    for label in _LABELS:
        for at, printed in enumerate(label):
            for read, means in _LOOKALIKE.items():
                if printed in means:
                    near.setdefault(label[:at] + read + label[at + 1 :], set()).add(label)
    return {word: min(labels) for word, labels in near.items() if len(labels) == 1} | {
        label: label for label in _LABELS
    }


_MISREAD = _misreadings()


def _mended_label(word: str) -> str:
    """``word`` as the label it would be with one character read for its lookalike;
    unchanged when it is a label already or when no one label is that near."""
    return _MISREAD.get(word, word)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount printed in a row: ``value`` is a Decimal, ``currency`` a code or ""."""

    row: Row
    start: int
    end: int
    value: Decimal
    currency: str

    @property
    def text(self) -> str:
        return self.row.text[self.start : self.end]

    @property
    def boxes(self) -> tuple[BBox, ...]:
        return self.row.boxes(self.start, self.end)


def build_rows(words: Iterable[Word]) -> list[Row]:
    """Words grouped into printed rows, top to bottom, each left to right."""
    items = [w for w in words if w.text.strip()]
    if not items:
        return []
    level = _Level(math.tan(skew_angle(items)))
    typical = statistics.median(w.bbox.height for w in items) or 1.0
    normal = sorted((w for w in items if w.bbox.height <= 2 * typical), key=level.word)
    tall = [w for w in items if w.bbox.height > 2 * typical]
    groups: list[_Group] = []
    for word in normal:
        at = level.word(word)
        for group in reversed(groups[-4:]):
            if abs(at - group.level) <= typical / 2 and not group.clashes(word):
                group.add(word, at)
                break
        else:
            groups.append(_Group.of(word, at))
    loose: list[_Group] = []
    for word in sorted(tall, key=level.word):
        at, reach = level.word(word), word.bbox.height / 2
        spanned = [g for g in groups if abs(g.level - at) <= reach]
        nearest = min(spanned, key=lambda g: abs(g.level - at), default=None)
        if nearest is not None:
            nearest.add(word, at)
        elif loose and abs(loose[-1].level - at) <= reach:
            loose[-1].add(word, at)
        else:
            loose.append(_Group.of(word, at))
    groups += loose
    groups.sort(key=lambda g: g.level)
    return [_row(index, group.words) for index, group in enumerate(groups)]


@dataclass(frozen=True, slots=True)
class _Level:
    """Height on the page with its skew taken out: a photographed receipt's rows slope,
    so words of one row differ in height by ``slope`` per unit of x."""

    slope: float

    def word(self, word: Word) -> float:
        (x, y) = word.bbox.center
        return y - self.slope * x


@dataclass(slots=True)
class _Group:
    """The words of one printed row as they are gathered. Their levels are kept sorted and
    their words ordered by left edge (``lefts`` beside them), so that the row's median
    level is looked up and a clash is looked for among the words it could overlap only: a
    row of a thousand words (a pathological page) is gathered in about linear time, not
    quadratic."""

    words: list[Word]
    levels: list[float]
    lefts: list[int]
    widest: int

    @classmethod
    def of(cls, word: Word, level: float) -> _Group:
        return cls([word], [level], [word.bbox.x0], word.bbox.width)

    @property
    def level(self) -> float:
        """The median level of the row's words (as ``statistics.median`` gives it)."""
        n = len(self.levels)
        middle = n // 2
        if n % 2:
            return self.levels[middle]
        return (self.levels[middle - 1] + self.levels[middle]) / 2

    def add(self, word: Word, level: float) -> None:
        bisect.insort(self.levels, level)
        at = bisect.bisect_right(self.lefts, word.bbox.x0)  # after its equals: as gathered
        self.lefts.insert(at, word.bbox.x0)
        self.words.insert(at, word)
        self.widest = max(self.widest, word.bbox.width)

    def clashes(self, word: Word) -> bool:
        """True when ``word`` overlaps a word of the row by more than half its width (only
        a word starting less than the row's widest word before it can overlap it)."""
        first = bisect.bisect_left(self.lefts, word.bbox.x0 - self.widest)
        last = bisect.bisect_left(self.lefts, word.bbox.x1)
        for other in self.words[first:last]:
            overlap = min(word.bbox.x1, other.bbox.x1) - max(word.bbox.x0, other.bbox.x0)
            if overlap > 0.5 * min(word.bbox.width, other.bbox.width):
                return True
        return False


def _row(index: int, group: list[Word]) -> Row:
    """The row of ``group``'s words, which are ordered by left edge already (``_Group``)."""
    ordered = tuple(group)
    height = statistics.median(w.bbox.height for w in ordered)
    return Row(index, ordered, BBox.enclosing(w.bbox for w in ordered), float(height))


def find_money(row: Row) -> Iterator[Money]:
    """Amounts with two decimals in ``row``, left to right ("RM 9.00", "1,234.50", "-0.02"),
    and whole amounts with the sign of a currency without cents ("Rp 52.800": ``_WHOLE_MONEY``);
    a capital I or small l read for the first digit after "RM" ("RMI11.90"), or a capital
    O ("RMO.47"), is taken as the 1 or 0 it stands for (same length, so every amount
    keeps its place in the row)."""
    text = _RM_ONE.sub(lambda m: "0" if m.group(0) == "O" else "1", row.text)
    found: list[Money] = []
    for m in _MONEY.finditer(text):
        value = parse_amount(m.group("num"))
        if value is None:
            continue
        if m.group("sign") or m.group("sign2"):
            value = -value
        found.append(_money(row, m, value, m.group("cur") or m.group("cur2") or ""))
    for m in _WHOLE_MONEY.finditer(text):
        if any(m.start() < other.end and other.start < m.end() for other in found):
            continue
        value = Decimal(re.sub(r"[., ]", "", m.group("num") or m.group("num2")))
        found.append(_money(row, m, -value if m.group("sign") else value, m["cur"] or m["cur2"]))
    yield from sorted(found, key=lambda money: money.start)


def _money(row: Row, match: re.Match[str], value: Decimal, symbol: str) -> Money:
    """The amount ``match`` found, its span without the blank the patterns may start with
    ("27% 889 Ft")."""
    code = CURRENCY_SIGNS.get(symbol.upper(), symbol.upper())
    blank = len(match.group(0)) - len(match.group(0).lstrip())
    return Money(row, match.start() + blank, match.end(), value, code)


def parse_amount(number: str) -> Decimal | None:
    """``"1,234.50"`` or ``"1.234,50"`` -> ``Decimal("1234.50")``; the last separator is
    the decimal one when two digits follow it."""
    digits = number.replace(" ", "")
    m = re.fullmatch(r"(\d+(?:[.,]\d{3})*)(?:[.,](\d{1,2}))?", digits)
    if not m:
        return None
    whole = re.sub(r"[.,]", "", m.group(1))
    try:
        return Decimal(f"{whole}.{(m.group(2) or '0').ljust(2, '0')}")
    except InvalidOperation:
        return None
