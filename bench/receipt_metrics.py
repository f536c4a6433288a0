"""Scoring of receipt key fields, as the ocr-keys-dev README defines it (SROIE task 3).

Per field both strings are NFKC-normalised, upper-cased, whitespace collapsed; ``total``
compares as a decimal number (currency and thousands separators dropped); ``date`` as a
calendar date when both parse (numeric dates day first unless impossible), else as text;
``company`` and ``address`` as exact strings, with a soft score ``1 - CER`` beside.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rapidfuzz.distance import Levenshtein

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).upper().split())


def as_number(text: str) -> Decimal | None:
    digits = re.sub(r"[^\d.,-]", "", norm(text)).replace(",", "")
    try:
        return Decimal(digits) if digits else None
    except InvalidOperation:
        return None


def as_date(text: str) -> dt.date | None:
    t = norm(text).strip("() ")
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t)
    parts: tuple[int, int, int] | None = None
    if m:
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        y += 2000 if y < 100 else 0
        parts = (y, b, a) if a <= 31 and b <= 12 else (y, a, b)
    elif m := re.fullmatch(r"(\d{1,2})[ /-]?([A-Z]{3})[A-Z]*[ /-]?(\d{2}|\d{4})", t):
        if m[2] in _MONTHS:
            y = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            parts = (y, _MONTHS.index(m[2]) + 1, int(m[1]))
    elif m := re.fullmatch(r"(\d{2})(\d{2})(\d{4})", t):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def same(name: str, gold: str, guess: str) -> bool:
    if name == "total":
        a, b = as_number(gold), as_number(guess)
        return a is not None and a == b
    if name == "date":
        day, other = as_date(gold), as_date(guess)
        if day is not None and other is not None:
            return day == other
    return norm(gold) == norm(guess)


def soft(gold: str, guess: str) -> float:
    g, p = norm(gold), norm(guess)
    if not g:
        return 1.0 if not p else 0.0
    return max(0.0, 1.0 - Levenshtein.distance(g, p) / len(g))


@dataclass
class Tally:
    right: int = 0
    predicted: int = 0
    gold: int = 0
    soft: list[float] = field(default_factory=list)

    def add(self, name: str, gold: str, guess: str) -> None:
        self.gold += bool(gold.strip())
        self.predicted += bool(guess.strip())
        self.right += bool(gold.strip() and guess.strip() and same(name, gold, guess))
        self.soft.append(soft(gold, guess))

    def merged(self, other: Tally) -> Tally:
        return Tally(
            self.right + other.right,
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.soft + other.soft,
        )

    @property
    def f1(self) -> float:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.right / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def soft_mean(self) -> float:
        return sum(self.soft) / len(self.soft) if self.soft else 0.0
