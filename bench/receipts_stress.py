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
  own under its label.

CHECK receipts are never read here.

    .venv/bin/python bench/receipts_stress.py [--show MODE] [--field NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.receipt_metrics import Tally, same  # noqa: E402
from bench.receipts_data import FIELDS, receipt_items  # noqa: E402
from masthead.ocr import layout, receipts  # noqa: E402
from masthead.ocr.document import BBox, Page, Word  # noqa: E402

_WIDTH, _CHAR, _HEIGHT, _GAP = 900, 16, 25, 10
_AMOUNT_AT_END = re.compile(r"^(.*?[A-Za-z].*?)\s+((?:RM\s?)?-?\d[\d,]*\.\d\d)\s*$")
_STACKED_LABEL = re.compile(r"(?i)total|cash|change|rounding")


def _stacked(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        m = _AMOUNT_AT_END.match(line)
        out += [m[1], m[2]] if m and _STACKED_LABEL.search(line) else [line]
    return out


MODES: dict[str, Callable[[list[str]], list[str]]] = {
    "plain": lambda lines: lines,
    "note": lambda lines: ["TAN CHAY YEE", *lines],
    "title": lambda lines: [line.title() for line in lines],
    "stacked": _stacked,
}


def page_of(lines: list[str]) -> Page:
    """One row of words per line, ``_CHAR`` pixels per character."""
    words: list[Word] = []
    y = 40
    for line in lines:
        x = 40
        for token in line.split():
            width = _CHAR * len(token)
            words.append(Word(token, BBox(x, y, x + width, y + _HEIGHT), 0.9))
            x += width + _CHAR
        y += _HEIGHT + _GAP
    size = (_WIDTH, y + 40)
    return Page(1, *size, 300, layout.arrange(words, size))


def fields_of(page: Page) -> dict[str, str]:
    found = receipts.read_page(page)
    if found is None:
        return dict.fromkeys(FIELDS, "")
    values = (found.merchant, found.date, found.address, found.total)
    return {name: v.value if v is not None else "" for name, v in zip(FIELDS, values, strict=True)}


def run(show: str | None, only: str | None) -> list[str]:
    items = [i for i in receipt_items() if i.split == "dev"]
    out = ["| mode | micro F1 | company | date | address | total |", "|---|---|---|---|---|---|"]
    for mode, perturb in MODES.items():
        tallies = {name: Tally() for name in FIELDS}
        for item in items:
            text = item.image.with_suffix(".txt").read_text(encoding="utf-8")
            guess = fields_of(page_of(perturb([ln for ln in text.splitlines() if ln.strip()])))
            for name in FIELDS:
                tallies[name].add(name, item.keys[name], guess[name])
                wrong = not same(name, item.keys[name], guess[name])
                if show == mode and wrong and only in (None, name):
                    print(f"{item.stem} {name}: gold={item.keys[name]!r} got={guess[name]!r}")
        per = [tallies[name] for name in FIELDS]
        micro = per[0].merged(per[1]).merged(per[2]).merged(per[3])
        out.append(f"| {mode} | {micro.f1:.3f} | " + " | ".join(f"{t.f1:.3f}" for t in per) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=tuple(MODES))
    parser.add_argument("--field", choices=FIELDS)
    args = parser.parse_args()
    print("\n".join(run(args.show, args.field)))


if __name__ == "__main__":
    main()
