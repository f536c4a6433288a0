"""Malaysian receipt heads made up by a seeded generator, read by the receipt rules.

The SROIE receipts show a few dozen shops' heads; an unseen shop combines the same parts
differently. This generator builds heads from parts (a name of made-up words with or
without a trade word, legal form (short or spelled out) or registration number under
any register's label; an address of unit, floor, building or shopping centre, street,
area, section, postcode and town (or a town alone, or the postcode with its locality and
the town after it), state and country, with or without commas, wrapped at the till's
width or a piece a row as centred heads print it; then telephone, fax, tax-number,
e-mail and title rows in any order, each under one of several labels) and scores the
merchant and address that ``masthead.ocr.receipts`` reads from each head, laid out as even rows
(as ``bench/receipts_stress.py`` lays out transcripts: no print sizes, no recogniser).

Place names are real (a town, a state); every shop, street and building name is made up
from syllables. Two seeds are kept apart: ``tune`` (seed 1) is the one whose misses were
looked at; ``check`` (seed 2) is only counted.

    .venv/bin/python bench/receipts_heads.py [--count N] [--show SEED] [--field NAME] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.receipt_metrics import same  # noqa: E402
from bench.receipts_stress import CENTRE, LARGE, fields_of, page_of  # noqa: E402
from bench.report import write_section  # noqa: E402

SEEDS = {"tune": 1, "check": 2}
_SYLLABLES = (
    "HENG", "SENG", "LEONG", "HUAT", "KIM", "CHUAN", "HOCK", "LEE", "TAN", "WAH", "YEW",
    "SOON", "MAJU", "JAYA", "TEGUH", "BINTANG", "CAHAYA", "MUTIARA", "SINAR", "INDAH",
    "RIA", "EMAS", "PERMATA", "AMAN", "SETIA", "KENCANA", "MEGA", "ZHI", "XIN", "FU",
)  # fmt: skip
_TRADES = (
    "HARDWARE", "TRADING", "ENTERPRISE", "STATIONERY", "MARKETING", "F&B", "FOOD INDUSTRIES",
    "MINI MARKET", "BOOKSTORE", "ELECTRICAL", "AUTO PARTS", "BAKERY", "PHARMACY", "OPTICAL",
    "FURNITURE", "RESTAURANT", "CAFE", "SUPPLY", "HOLDINGS", "SERVICES", "MART", "BOOK CO.",
    "STORE", "TEXTILES", "MACHINERY", "CONFECTIONERY", "CATERING", "LAUNDRY", "PRINTING",
    "SEAFOOD RESTAURANT", "KOPITIAM", "DISTRIBUTOR", "MOTOR", "TYRE & BATTERY", "CLINIC",
    "GLASS & ALUMINIUM", "BEAUTY SALON",
)  # fmt: skip
_OPENINGS = ("SYARIKAT", "KEDAI", "RESTORAN", "PERNIAGAAN", "KEDAI RUNCIT", "SYARIKAT PERNIAGAAN")
_FORMS = (
    "SDN BHD", "SDN. BHD.", "S/B", "(M) SDN BHD", "SDN.BHD", "PLT", "BHD", "SENDIRIAN BERHAD",
    "BERHAD", "(M) BHD", "SDN BHD.", "S/B.",
)  # fmt: skip
_STREETS = ("JALAN", "JLN", "LORONG", "PERSIARAN", "LEBUH", "JALAN SS", "JALAN PJU")
_AREAS = ("TAMAN", "TMN", "BANDAR", "KAWASAN PERINDUSTRIAN", "KAMPUNG", "PUSAT BANDAR")
_BUILDINGS = ("WISMA", "PLAZA", "KOMPLEKS", "MENARA", "PUSAT PERNIAGAAN", "MEDAN", "DATARAN")
_MALLS = ("MALL", "SQUARE", "CITY", "PARADE", "SENTRAL")
_FLOORS = ("GROUND FLOOR", "1ST FLOOR", "LEVEL 2", "TINGKAT 1", "ARAS 3", "LOWER GROUND FLOOR")
_TOWNS = (
    ("47100", "PUCHONG", "SELANGOR"), ("81200", "JOHOR BAHRU", "JOHOR"),
    ("50490", "KUALA LUMPUR", "W.P. KUALA LUMPUR"), ("31650", "IPOH", "PERAK"),
    ("43300", "SERI KEMBANGAN", "SELANGOR DARUL EHSAN"), ("75100", "MELAKA", "MELAKA"),
    ("10200", "GEORGETOWN", "PULAU PINANG"), ("40150", "SHAH ALAM", "SELANGOR"),
    ("86000", "KLUANG", "JOHOR"), ("25200", "KUANTAN", "PAHANG"),
    ("52100", "KEPONG", "KUALA LUMPUR"), ("41200", "KLANG", "SELANGOR"),
    ("88000", "KOTA KINABALU", "SABAH"), ("93350", "KUCHING", "SARAWAK"),
    ("05000", "ALOR SETAR", "KEDAH"), ("70200", "SEREMBAN", "N. SEMBILAN"),
    ("46000", "PETALING JAYA", "SELANGOR D.E."), ("68000", "AMPANG", "SEL."),
    ("43000", "KAJANG", "SELANGOR DARUL EHSAN"), ("56100", "CHERAS", "W.P. KUALA LUMPUR"),
    ("08000", "SUNGAI PETANI", "KEDAH DARUL AMAN"), ("15000", "KOTA BHARU", "KELANTAN"),
)  # fmt: skip
_TELEPHONE_LABELS = ("TEL:", "TEL :", "TEL NO:", "TEL NO :", "Tel/Fax:", "H/P:", "PHONE:", "T:")
_TAX_LABELS = ("GST ID:", "GST REG NO:", "GST NO.:", "GST ID NO :", "SST ID:", "SST NO :")
_TITLES = ("TAX INVOICE", "WELCOME TO", "*** COPY ***", "RECEIPT", "OFFICIAL RECEIPT", "CASH BILL")


@dataclass(frozen=True)
class Head:
    rows: tuple[str, ...]
    merchant: str
    address: str
    others: tuple[int, ...] = ()  # rows that hold neither the name nor the address


def _word(rng: random.Random) -> str:
    return rng.choice(_SYLLABLES)


def _name(rng: random.Random) -> str:
    words = [_word(rng) for _ in range(rng.choice((1, 2, 2, 3)))]
    shape = rng.random()
    if shape < 0.08 and len(words) > 1:  # two owners: "TAN & LEE"
        words.insert(1, "&")
    elif shape < 0.14:  # an owner's own: "LEONG'S"
        words[0] += "'S"
    elif shape < 0.2:  # a lucky number: "88 SINAR"
        words.insert(0, rng.choice(("88", "99", "1", "333", "8")))
    if rng.random() < 0.3:
        words.insert(0, rng.choice(_OPENINGS))
    if rng.random() < 0.6 or len(words) == 1:
        words.append(rng.choice(_TRADES))
    if rng.random() < 0.5:
        words.append(rng.choice(_FORMS))
    return " ".join(words)


def _registration(rng: random.Random) -> str:
    digits = rng.randrange(100000, 1300000)
    ssm = f"20{rng.randrange(10, 24)}0{rng.randrange(1000000, 9999999)}"  # the 12-digit number
    return rng.choice(
        (f"({digits}-{rng.choice('ADKMPTUVWX')})", f"CO. REG : {digits}-{rng.choice('AKPW')}",
         f"(JM{digits:07d}-{rng.choice('KUW')})", f"COMPANY NO. {digits}-X",
         f"(CO. NO. {digits}-{rng.choice('AKPW')})", f"ROC NO: {digits}-{rng.choice('ADK')}",
         f"{ssm} ({digits}-{rng.choice('AKW')})", f"SSM NO: {ssm}")
    )  # fmt: skip


def _tax_row(rng: random.Random) -> str:
    row = f"{rng.choice(_TAX_LABELS)} 000{rng.randrange(100000000, 999999999)}"
    return f"({row})" if rng.random() < 0.15 else row


def _telephone_row(rng: random.Random) -> str:
    number = rng.choice(
        (f"0{rng.randrange(3, 9)}-{rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
         f"01{rng.randrange(0, 9)}-{rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
         f"+603-{rng.randrange(1000, 9999)}{rng.randrange(1000, 9999)}",
         f"03-{rng.randrange(10000000, 99999999)}")
    )  # fmt: skip
    return f"{rng.choice(_TELEPHONE_LABELS)} {number}"


def _address_parts(rng: random.Random) -> list[str]:
    unit = rng.choice(
        (f"NO. {rng.randrange(1, 200)}", f"NO {rng.randrange(1, 99)}{rng.choice('AB')}",
         f"LOT {rng.randrange(100, 9999)}", f"{rng.randrange(1, 60)}-{rng.randrange(1, 5)}",
         f"G-{rng.randrange(1, 30):02d}", f"{rng.randrange(1, 120)}",
         f"A-{rng.randrange(1, 9)}-{rng.randrange(1, 20)}", f"NO.{rng.randrange(1, 60)}-G",
         f"LOT PT {rng.randrange(100, 9999)}", f"BATU {rng.randrange(2, 9)}",
         f"KM {rng.randrange(2, 30)}", f"NO. {rng.randrange(1, 50)} & {rng.randrange(51, 99)}",
         f"LOT G-{rng.randrange(1, 60)}", f"UNIT {rng.randrange(1, 30)}-{rng.randrange(1, 9)}",
         f"BLOK {rng.choice('ABCD')}-{rng.randrange(1, 9)}-{rng.randrange(1, 12)}",
         f"GERAI NO. {rng.randrange(1, 40)}")
    )  # fmt: skip
    parts = [unit]
    if rng.random() < 0.12:
        parts.append(rng.choice(_FLOORS))
    building = rng.random()
    if building < 0.2:
        parts.append(f"{rng.choice(_BUILDINGS)} {_word(rng)}")
    elif building < 0.3:  # a shopping centre: "SINAR MALL"
        parts.append(f"{_word(rng)} {rng.choice(_MALLS)}")
    street = rng.choice(_STREETS)
    number = rng.choice(
        ("", f" {rng.randrange(1, 12)}", f" {rng.randrange(1, 9)}/{rng.randrange(1, 9)}")
    )
    if street.endswith(("SS", "PJU")):  # a numbered street of a planned town: "JALAN SS 2/61"
        parts.append(f"{street} {rng.randrange(1, 25)}/{rng.randrange(1, 80)}")
    else:
        parts.append(f"{street} {_word(rng)}{number}")
    if rng.random() < 0.1:
        parts.append(f"OFF JALAN {_word(rng)}")
    if rng.random() < 0.6:
        parts.append(f"{rng.choice(_AREAS)} {_word(rng)} {_word(rng)}".strip())
    if rng.random() < 0.1:
        parts.append(f"{rng.choice(('SEKSYEN', 'SECTION'))} {rng.randrange(1, 30)}")
    postcode, town, state = rng.choice(_TOWNS)
    form = rng.random()
    if form < 0.06:  # no postcode printed
        parts.append(town)
    elif form < 0.1:  # the town before its postcode
        parts.append(f"{town} {postcode}")
    elif form < 0.18:  # the postcode with its locality, the town after it: "88450 INANAM"
        parts += [f"{postcode} {_word(rng)}", town]
    else:
        parts.append(f"{postcode} {town}")
    if rng.random() < 0.6:
        if rng.random() < 0.3:  # the state on the town's piece: "47100 PUCHONG, SELANGOR"
            parts[-1] = f"{parts[-1]}, {state}"
        else:
            parts.append(state)
    if rng.random() < 0.15:
        parts.append("MALAYSIA")
    return parts


def _title(text: str) -> str:
    """``text`` in title case as a till prints it ("LEE'S" -> "Lee's", not "Lee'S")."""
    return text.title().replace("'S", "'s")


def _wrapped(pieces: list[str], width: int) -> list[str]:
    """``pieces`` joined by spaces and wrapped at the till's width (``width`` letters); a
    piece wider than the till is wrapped at its spaces."""
    rows: list[str] = []
    line = ""
    fitted = [word for p in pieces for word in (p.split() if len(p) > width else [p])]
    for piece in fitted:
        if line and len(line) + 1 + len(piece) > width:
            rows.append(line)
            line = piece
        else:
            line = f"{line} {piece}".strip()
    rows.append(line)
    return rows


def _after(rng: random.Random) -> list[str]:
    rows = [_telephone_row(rng), _tax_row(rng)]
    extra = [
        f"FAX: 03-{rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
        f"EMAIL: {_word(rng).lower()}@example.com.my",
        rng.choice(_TITLES),
        f"SST REG NO: W10-1808-{rng.randrange(10000000, 99999999)}",
        "OPEN DAILY 8AM - 10PM",
        f"WWW.{_word(rng)}.COM.MY",
    ]
    rows += rng.sample(extra, rng.randrange(0, 3))
    rng.shuffle(rows)
    return rows[: rng.randrange(1, len(rows) + 1)]


def make(rng: random.Random) -> Head:
    """One head: its printed rows (``LARGE`` and ``CENTRE`` marks as ``page_of`` reads
    them) and the merchant and address a reader would write down from it."""
    name = _name(rng)
    if rng.random() < 0.2:
        name = _title(name)
    width = rng.randrange(26, 44)
    large = rng.random() < 0.4  # the name in print twice as large: half as many letters a row
    names = [name]
    if len(name) > (width // 2 if large else width) and rng.random() < 0.7:
        names = _wrapped(name.split(), width // (1 + large))
    registration = _registration(rng) if rng.random() < 0.5 else ""
    room = width // (1 + large) - len(names[-1]) - 1
    if registration and len(registration) <= room and rng.random() < 0.5:  # beside the name
        names[-1] = f"{names[-1]} {registration}"
        registration = ""
    head = [(row, large) for row in names]
    if rng.random() < 0.15:
        head.insert(0, (rng.choice(_TITLES), False))
    if registration:
        head.append((registration, False))
    parts = _address_parts(rng)
    comma = "," if rng.random() < 0.8 else ""  # some tills print the pieces without commas
    pieces = [f"{part}{comma}" for part in parts]
    layout = rng.random()
    if layout < 0.4:  # wrapped at any space, not only after a comma
        pieces = " ".join(pieces).split()
    if layout > 0.75:  # a piece a row, as centred heads print it
        address = [row for piece in pieces for row in _wrapped([piece], width)]
    else:
        address = _wrapped(pieces, width)
    address[-1] = address[-1].rstrip(",") + rng.choice(("", "."))
    if rng.random() < 0.3:
        address = [_title(row) for row in address]
    printed = list(address)
    after = _after(rng)
    telephone = _telephone_row(rng)
    placement = rng.random()
    if placement < 0.12:  # the telephone on the address's last row, or under it
        beside = f"{printed[-1]} {telephone}"
        printed[-1:] = [beside] if len(beside) <= width else [printed[-1], telephone]
    elif placement < 0.24:  # a telephone row above the address
        printed.insert(0, telephone)
    elif placement < 0.32:  # the tax number above the address
        printed.insert(0, _tax_row(rng))
    head += [(row, False) for row in [*printed, *after]]
    centred = rng.random() < 0.6
    rows = [(LARGE if big else "") + (CENTRE if centred else "") + row for row, big in head]
    held = {*names, *address}  # rows of the name or the address (one may carry a telephone)
    others = tuple(n for n, (row, _) in enumerate(head) if not any(h in row for h in held))
    rows += ["DATE: 14/05/2024", "ITEM A 1 X 5.00 5.00", "TOTAL 5.00", "CASH 10.00"]
    rows += ["CHANGE 5.00"]
    return Head(tuple(rows), name, " ".join(address), others)


_LOOKALIKE = {"T": "Il", "L": "I", "S": "5", "O": "0", "G": "6", "R": "K", "E": "F", "B": "8",
              "I": "1l", "N": "H", "H": "N", "D": "0", "C": "("}  # fmt: skip


def misread(rng: random.Random, row: str) -> str:
    """``row`` with one or two slips a recogniser makes on thermal print: a letter read as
    its lookalike ("TEL" -> "IEL", "GST" -> "G5T"), a colon read as a stop or lost, a
    space lost after a label."""
    marks = row[: len(row) - len(row.lstrip(LARGE + CENTRE))]
    text = row[len(marks) :]
    for _ in range(rng.choice((1, 1, 2))):
        kind = rng.random()
        letters = [n for n, c in enumerate(text) if c in _LOOKALIKE]
        if kind < 0.6 and letters:
            at = rng.choice(letters)
            text = text[:at] + rng.choice(_LOOKALIKE[text[at]]) + text[at + 1 :]
        elif kind < 0.85 and ":" in text:
            text = text.replace(":", rng.choice((".", ";", "", " :")), 1)
        elif ": " in text:
            text = text.replace(": ", ":", 1)
    return marks + text


def run(
    split: str, count: int, show: bool, field: str | None, noisy: bool = False
) -> tuple[int, int, int]:
    rng = random.Random(SEEDS[split])
    slips = random.Random(SEEDS[split] + 100)  # apart, so that the heads stay the same
    right = {"merchant": 0, "address": 0}
    for _ in range(count):
        head = make(rng)
        rows = list(head.rows)
        if noisy:
            rows = [misread(slips, r) if n in head.others else r for n, r in enumerate(rows)]
            head = Head(tuple(rows), head.merchant, head.address, head.others)
        got = fields_of(page_of(rows))
        keys = {"merchant": head.merchant, "address": head.address}
        found = {"merchant": got["company"], "address": got["address"]}
        for name in right:
            ok = same("address" if name == "address" else "company", keys[name], found[name])
            right[name] += ok
            if show and not ok and field in (None, name):
                for row in head.rows[:9]:
                    print(
                        ("  [large] " if row.startswith(LARGE) else "  ")
                        + row.strip(LARGE + CENTRE)
                    )
                print(f"  {name}: want {keys[name]!r}\n  {' ' * len(name)}  got  {found[name]!r}\n")
    return count, right["merchant"], right["address"]


def report(count: int, show: str | None, field: str | None, noisy: bool = False) -> str:
    lines = [
        "Malaysian receipt heads made up from parts by a seeded generator, read by the receipt "
        "rules (`bench/receipts_heads.py`; exact match as SROIE scores it). `misread`: the "
        "same heads with one or two recogniser slips in each row that holds neither the name "
        "nor the address (a lookalike letter, a colon read as a stop or lost, a space lost "
        "after a label).",
        "",
        "| seed | rows | heads | merchant | address |",
        "|---|---|---|---|---|",
    ]
    for split in SEEDS:
        for slipped in (False, True):
            shown = show == split and slipped == noisy
            n, merchant, address = run(split, count, shown, field, slipped)
            kind = "misread" if slipped else "as printed"
            lines.append(f"| {split} | {kind} | {n} | {merchant / n:.3f} | {address / n:.3f} |")
    lines += [
        "",
        f"Command: `.venv/bin/python bench/receipts_heads.py --write` ({count} heads a seed); "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {dt.date.today().isoformat()}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--show", choices=tuple(SEEDS), help="print the heads this seed misses")
    parser.add_argument("--field", choices=("merchant", "address"))
    parser.add_argument("--noisy", action="store_true", help="--show the misread heads' misses")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args()
    text = report(args.count, args.show, args.field, args.noisy)
    print(text)
    if args.write:
        write_section("receipts-heads", text)


if __name__ == "__main__":
    main()
