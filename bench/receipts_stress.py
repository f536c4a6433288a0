"""Receipt rules under perturbations that unseen shops bring, on DEV transcripts only.

Each DEV receipt's transcript (the printed lines, from the shared folder at run time) is
laid out as a synthetic page: one row per line, uniform print, left-aligned, so no help
comes from print size or from the recogniser. The same pages are then perturbed the way
receipts from other shops differ, and the key fields are scored as ``bench/receipts.py``
does. A rule that only holds for the shops in DEV shows up as a drop under a perturbation:

- ``plain``: the transcript as printed;
- ``note``: a person's name stamped above the shop's name ("TAN CHAY YEE");
- ``title``: every line in title case, as the recogniser often returns small print;
- ``stacked``: the amount of every total, rounding, cash and change line on a row of its
  own under its label;
- ``noform``: no legal form anywhere (a sole trader, a shop abroad): "SDN BHD", "S/B",
  "CO. (M)"... dropped from the print and from the key;
- ``foreign``: the Malaysian legal form replaced, in print and key, by another country's
  ("GMBH", "S.A.", "PTY LTD", "LLC", "S.R.L."...), one per receipt by a hash of its name;
- ``misread``: one digit of the amount on the first total row misread ("12.50" ->
  "13.50"), so that only the other amounts (cash less change, a rounded total, the items
  and tax that add up to it) can still give the total, or nothing should;
- ``unread``: that amount not read at all (its row keeps only the label);
- ``narrow``: a narrow till roll: every line without an amount longer than 24 characters
  wrapped at a space onto the next row (long names and addresses split where they fall);
- ``centred``: every row centred on the page, as most tills print their head;
- ``branch``: a short branch line ("OUTLET PUCHONG") printed right under the shop's name;
- ``slogan``: a slogan with a trade noun ("YOUR FRIENDLY NEIGHBOURHOOD STORE") printed
  right under the shop's name, as alike as the name;
- ``logo``: a made-up brand word printed twice as large above the shop's name, as logo
  lettering the recogniser reads as a word ("CELE R" over "KEDAI PAPAN YEW CHUAN");
- ``notax``: no tax-number, telephone or fax rows (a shop not registered for tax, or
  printing no phone): the address must end without them;
- ``unknown``: the trade nouns of the shop's name that the extractor knows ("BAKERY",
  "HARDWARE", "KEDAI"...; legal forms stay) replaced, in print and key, by a made-up word,
  as an unseen shop's trade would be;
- ``telbeside``: the shop's telephone printed on the last address row, after the town
  ("SRI PETALING TEL: 03-9054 3785"), instead of on a row of its own;
- ``bracketed``: a branch in brackets ("(SUNWAY PYRAMID MALL)") right under the name;
- ``area``: a branch named by its area ("TAMAN MELAWATI") right under the name, above the
  shop's numbers or the street (a building there, "... MALL", is part of the address, as
  the DEV keys have it).
- ``telfirst``: the shop's first telephone row printed right under the name, above the
  address, as some tills print their head;
- ``after``: a slogan ("THE BEST IN TOWN") printed right under the last address row,
  where an address without a postcode has nothing else to end it;
- ``label``: a labelled row ("BRANCH: KLCC") printed there instead;
- ``taxbeside``: the whole address printed on one row and the head's first tax-number row
  ("GST ID: 000123456789") after it on that row, as ``telbeside`` does with the telephone;
- ``addrlabel``: the address's first row printed after an "ADDRESS:" label;
- ``opening``: "SYARIKAT PERNIAGAAN" (a trading firm) printed on a row of its own above
  the shop's name, and part of the name in the key;
- ``above``: the address's rows printed right above the shop's name instead of under it;
- ``streets``: the Malay words for street, park, lane, town and village ("JALAN", "TMN",
  "LORONG", "BANDAR", "KG"...) replaced, in print and key, by a made-up word, as the
  street words of an unseen country would be;
- ``hanzi``: the shop's name in Chinese characters ("新兴五金") printed twice as large
  above the head, as Chinese-Malaysian shops print it; the key stays the Latin name;
- ``hanziunder``: the Chinese name printed right under the shop's name;
- ``hanzibeside``: the Chinese name printed after the shop's name on its row.

CHECK receipts are never read here.

    .venv/bin/python bench/receipts_stress.py [--show MODE] [--field NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.receipt_metrics import Tally, same  # noqa: E402
from bench.receipts_data import FIELDS, receipt_items  # noqa: E402
from masthead.ocr import layout, receipts  # noqa: E402
from masthead.ocr._receipt_header import _LEGAL_ONLY, _LEGAL_WORDS  # noqa: E402
from masthead.ocr.document import BBox, Page, Word  # noqa: E402

_WIDTH, _CHAR, _HEIGHT, _GAP = 900, 16, 25, 10
_AMOUNT_AT_END = re.compile(r"^(.*?[A-Za-z].*?)\s+((?:RM\s?)?-?\d[\d,]*\.\d\d)\s*$")
_ANY_AMOUNT = re.compile(r"\d\.\d\d\b")
_STACKED_LABEL = re.compile(r"(?i)total|cash|change|rounding")


_MY_FORM = re.compile(
    r"\s*\b(?:CO\.?\s*\(M\)\s*)?(?:\(M\)\s*)?(?:SDN\.?\s*BHD\.?|BHD\.?|S/B)(?!\w)"
)
_FOREIGN = ("GMBH", "S.A.", "PTY LTD", "LLC", "S.R.L.", "LTD", "INC.", "B.V.", "PTE LTD", "AB")
_TOTAL_LABEL = re.compile(r"(?i)(?<!SUB)(?<!SUB )(?<!SUB-)\bTOTAL\b")
_MISREAD = str.maketrans("0123456789", "8778168168")
Keys = dict[str, str]


def _stacked(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    out: list[str] = []
    for line in lines:
        m = _AMOUNT_AT_END.match(line)
        out += [m[1], m[2]] if m and _STACKED_LABEL.search(line) else [line]
    return out, keys


def _strip_form(text: str) -> str:
    return " ".join(_MY_FORM.sub("", text).split())


def _noform(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    kept = [_strip_form(line) for line in lines if _strip_form(line)]
    return kept, {**keys, "company": _strip_form(keys["company"])}


def _foreign(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    form = _FOREIGN[sum(map(ord, keys["company"] + keys["date"])) % len(_FOREIGN)]
    swapped = [_MY_FORM.sub(f" {form}", line) for line in lines]
    return swapped, {**keys, "company": _MY_FORM.sub(f" {form}", keys["company"])}


def _total_amount(lines: list[str], keys: Keys, replace: Callable[[str], str]) -> list[str]:
    """``lines`` with the key total's amount on the first TOTAL row replaced."""
    out = list(lines)
    for at, line in enumerate(lines):
        m = _AMOUNT_AT_END.match(line)
        if m and _TOTAL_LABEL.search(m[1]) and same("total", keys["total"], m[2]):
            out[at] = f"{m[1]} {replace(m[2])}".strip()
            break
    return out


def _misread_amount(amount: str) -> str:
    """One digit of the whole part read as another that looks alike ("12.50" -> "13.50")."""
    at = amount.rindex(".") - 1
    return amount[:at] + amount[at].translate(_MISREAD) + amount[at + 1 :]


def _narrow(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    wrapped = [
        part
        for line in lines
        for part in ([line] if _ANY_AMOUNT.search(line) else textwrap.wrap(line, 24) or [line])
    ]
    return wrapped, keys


def _under_name(line: str) -> Callable[[list[str], Keys], tuple[list[str], Keys]]:
    """``line`` printed under the first of the top rows that ends the company's name."""

    def perturb(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
        name = keys["company"].upper().split()
        ends = (n for n, ln in enumerate(lines[:5]) if name and ln.upper().endswith(name[-1]))
        at = next(ends, 0)
        return [*lines[: at + 1], line, *lines[at + 1 :]], keys

    return perturb


def _beside_name(text: str) -> Callable[[list[str], Keys], tuple[list[str], Keys]]:
    """``text`` printed after the last word of the company's name, on the name's row."""

    def perturb(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
        name = keys["company"].upper().split()
        ends = (n for n, ln in enumerate(lines[:5]) if name and ln.upper().endswith(name[-1]))
        at = next(ends, None)
        if at is None:
            return lines, keys
        return [*lines[:at], f"{lines[at]} {text}", *lines[at + 1 :]], keys

    return perturb


def _above(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The address's rows moved right above the first row of the company's name, as shops
    that print a brand or their address first do."""
    address, name = _address_span(lines, keys), _name_span(lines, keys)
    if address is None or name is None or address[0] <= name[1]:
        return lines, keys
    rest = [*lines[: address[0]], *lines[address[1] + 1 :]]
    return [*rest[: name[0]], *lines[address[0] : address[1] + 1], *rest[name[0] :]], keys


def _name_span(lines: list[str], keys: Keys) -> tuple[int, int] | None:
    """First and last index of the first run of top rows the key's company holds."""
    return _held_span(lines[:8], keys["company"], 2)


def _opening(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """ "SYARIKAT PERNIAGAAN" printed on a row of its own right above the first row of the
    company's name, and part of the name in the key, as a trading firm's name opens."""
    first = keys["company"].upper().split()[:1]
    starts = (n for n, ln in enumerate(lines[:5]) if first and ln.upper().split()[:1] == first)
    at = next(starts, None)
    if at is None:
        return lines, keys
    named = {**keys, "company": f"SYARIKAT PERNIAGAAN {keys['company']}"}
    return [*lines[:at], "SYARIKAT PERNIAGAAN", *lines[at:]], named


def _unknown(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """Known trade nouns of the name replaced by "QUORVEL" wherever they are printed."""
    known = {
        w
        for w in re.findall(r"[A-Z]+", keys["company"].upper())
        if _LEGAL_WORDS.fullmatch(w) and not _LEGAL_ONLY.fullmatch(w)
    }

    def swap(text: str) -> str:
        return re.sub(r"[A-Za-z]+", lambda m: "QUORVEL" if m[0].upper() in known else m[0], text)

    return [swap(line) for line in lines], {**keys, "company": swap(keys["company"].upper())}


_STREET_WORDS = re.compile(
    r"\b(JALAN|JLN|TAMAN|TMN|LORONG|LRG|PERSIARAN|PSN|LEBUH|BANDAR|BDR|KAMPUNG|KG)\b", re.I
)


def _streets(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The Malay words for street, park, lane, town and village replaced by "KELORA"
    wherever they are printed, in print and key: an address in words no rule knows."""

    def swap(text: str) -> str:
        return _STREET_WORDS.sub("KELORA", text)

    return [swap(line) for line in lines], {**keys, "address": swap(keys["address"])}


_NOTAX = re.compile(r"\b(GST|SST|TEL|FAX|PHONE)\b")


def _telbeside(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The first telephone row of the head printed on the row above it, after the town."""
    at = _first_telephone(lines)
    if at is None:
        return lines, keys
    return [*lines[: at - 1], f"{lines[at - 1]} {lines[at]}", *lines[at + 1 :]], keys


_TEL = re.compile(r"\W*(TEL|PHONE|T\s*:)")


def _first_telephone(lines: list[str]) -> int | None:
    """Index of the head's first telephone row (never the first row), if any."""
    return next((n for n, ln in enumerate(lines[:12]) if n and _TEL.match(ln.upper())), None)


def _telfirst(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The first telephone row of the head moved to right under the name."""
    at = _first_telephone(lines)
    if at is None:
        return lines, keys
    rest = [*lines[:at], *lines[at + 1 :]]
    return _under_name(lines[at])(rest, keys)


def _after_address(line: str) -> Callable[[list[str], Keys], tuple[list[str], Keys]]:
    """``line`` under the last row of the first run of rows the key's address holds."""

    def perturb(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
        span = _address_span(lines, keys)
        if span is None:
            return lines, keys
        last = span[1]
        return [*lines[: last + 1], line, *lines[last + 1 :]], keys

    return perturb


def _address_span(lines: list[str], keys: Keys) -> tuple[int, int] | None:
    """First and last index of the first run of rows the key's address holds."""
    return _held_span(lines[:15], keys["address"], 3)


def _held_span(lines: list[str], key: str, shortest: int) -> tuple[int, int] | None:
    """First and last index of the first run of ``lines`` (longer than ``shortest``
    letters and digits) that ``key`` holds, compared on letters and digits alone."""
    gold = _letters_and_digits(key)
    rows = [n for n, ln in enumerate(lines) if len(_letters_and_digits(ln)) > shortest]
    held = [n for n in rows if _letters_and_digits(lines[n]) in gold]
    if not held:
        return None
    last = held[0]
    while last + 1 in held:
        last += 1
    return held[0], last


_TAX_ROW = re.compile(r"\W*(GST|SST)\b")


def _taxbeside(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The whole address printed on one row, the head's first tax-number row after it.

    Receipts whose tax number is printed above the address (or not at all) are left as
    they are and still scored: the mode's figure is over all DEV receipts."""
    span = _address_span(lines, keys)
    at = next((n for n, ln in enumerate(lines[:15]) if _TAX_ROW.match(ln.upper())), None)
    if span is None or at is None or at <= span[1]:
        return lines, keys
    first, last = span
    row = " ".join([*lines[first : last + 1], lines[at]])
    return [*lines[:first], row, *lines[last + 1 : at], *lines[at + 1 :]], keys


def _labelled(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    """The address's first row printed after an "ADDRESS:" label, as invoices do."""
    span = _address_span(lines, keys)
    if span is None:
        return lines, keys
    first = span[0]
    return [*lines[:first], f"ADDRESS: {lines[first]}", *lines[first + 1 :]], keys


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _notax(lines: list[str], keys: Keys) -> tuple[list[str], Keys]:
    return [ln for ln in lines if _ANY_AMOUNT.search(ln) or not _NOTAX.search(ln.upper())], keys


MODES: dict[str, Callable[[list[str], Keys], tuple[list[str], Keys]]] = {
    "plain": lambda lines, keys: (lines, keys),
    "note": lambda lines, keys: (["TAN CHAY YEE", *lines], keys),
    "title": lambda lines, keys: ([line.title() for line in lines], keys),
    "stacked": _stacked,
    "noform": _noform,
    "foreign": _foreign,
    "misread": lambda lines, keys: (_total_amount(lines, keys, _misread_amount), keys),
    "unread": lambda lines, keys: (_total_amount(lines, keys, lambda a: ""), keys),
    "narrow": _narrow,
    "centred": lambda lines, keys: ([CENTRE + line for line in lines], keys),
    "branch": _under_name("OUTLET PUCHONG"),
    "slogan": _under_name("YOUR FRIENDLY NEIGHBOURHOOD STORE"),
    "logo": lambda lines, keys: ([f"{LARGE}{CENTRE}ZOOMA", *lines], keys),
    "notax": _notax,
    "unknown": _unknown,
    "telbeside": _telbeside,
    "bracketed": _under_name("(SUNWAY PYRAMID MALL)"),
    "area": _under_name("TAMAN MELAWATI"),
    "telfirst": _telfirst,
    "after": _after_address("THE BEST IN TOWN"),
    "label": _after_address("BRANCH: KLCC"),
    "taxbeside": _taxbeside,
    "addrlabel": _labelled,
    "opening": _opening,
    "above": _above,
    "streets": _streets,
    "hanzi": lambda lines, keys: ([f"{LARGE}{CENTRE}新兴五金", *lines], keys),
    "hanziunder": _under_name("新兴五金有限公司"),
    "hanzibeside": _beside_name("新兴五金"),
}


CENTRE = "\x00"  # a line starting with it is centred on the page
LARGE = "\x01"  # a line starting with it is printed twice as large (before CENTRE)


def page_of(lines: list[str]) -> Page:
    """One row of words per line, ``_CHAR`` pixels per character (centred when the line
    starts with ``CENTRE``, twice as large when it starts with ``LARGE``)."""
    words: list[Word] = []
    y = 40
    for line in lines:
        x, scale = 40, 1
        if line.startswith(LARGE):
            line, scale = line[1:], 2
        if line.startswith(CENTRE):
            line = line[1:]
            x = max(40, (_WIDTH - _CHAR * scale * len(line)) // 2)
        for token in line.split():
            width = _CHAR * scale * len(token)
            words.append(Word(token, BBox(x, y, x + width, y + _HEIGHT * scale), 0.9))
            x += width + _CHAR * scale
        y += (_HEIGHT + _GAP) * scale
    size = (_WIDTH, y + 40)
    return Page(1, *size, 300, layout.arrange(words, size))


def fields_of(page: Page) -> dict[str, str]:
    found = receipts.read_page(page)
    if found is None:
        return dict.fromkeys(FIELDS, "")
    values = (found.merchant, found.date, found.address, found.total)
    return {name: v.value if v is not None else "" for name, v in zip(FIELDS, values, strict=True)}


def run(show: str | None, only: str | None, modes: Sequence[str] = tuple(MODES)) -> list[str]:
    items = [i for i in receipt_items() if i.split == "dev"]
    out = ["| mode | micro F1 | company | date | address | total |", "|---|---|---|---|---|---|"]
    for mode in modes:
        tallies = {name: Tally() for name in FIELDS}
        for item in items:
            text = item.image.with_suffix(".txt").read_text(encoding="utf-8")
            lines = [ln for ln in text.splitlines() if ln.strip()]
            lines, keys = MODES[mode](lines, item.keys)
            guess = fields_of(page_of(lines))
            for name in FIELDS:
                tallies[name].add(name, keys[name], guess[name])
                wrong = not same(name, keys[name], guess[name])
                if show == mode and wrong and only in (None, name):
                    print(f"{item.stem} {name}: gold={keys[name]!r} got={guess[name]!r}")
        per = [tallies[name] for name in FIELDS]
        micro = per[0].merged(per[1]).merged(per[2]).merged(per[3])
        out.append(f"| {mode} | {micro.f1:.3f} | " + " | ".join(f"{t.f1:.3f}" for t in per) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=tuple(MODES))
    parser.add_argument("--field", choices=FIELDS)
    parser.add_argument("--mode", choices=tuple(MODES), action="append")
    args = parser.parse_args()
    print("\n".join(run(args.show, args.field, args.mode or tuple(MODES))))


if __name__ == "__main__":
    main()
