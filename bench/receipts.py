"""Receipt key-field extraction: field F1 per split beside a naive baseline, and its cost.

Reads the OCR results cached by ``bench/receipts_cache.py`` (run first: ``make bench``
does both; OCR of 150 receipts takes minutes, extraction milliseconds), runs
``pipeline.assemble`` on each cached document's pages again (the fields, the receipt and its
note, as the rules are now) and the naive baseline on the same documents, and scores both
with ``bench/receipt_metrics.py`` on the DEV and CHECK splits (``receipts_data.split_of``:
a fixed hash of the file name; CHECK is never tuned on). Extraction time is reported as a
share of the cached OCR time of the same receipts.

Two more rows tell where a split's misses come from: ``transcript`` runs the same rules on
the receipt's transcript laid out as even rows (``receipts_stress.page_of``: no recogniser
slips, no help from print size), and ``printed`` counts the receipts whose annotated
company or address is printed word for word in the transcript, the most an exact-match
extractor of printed text can reach. A split whose ``transcript`` row is far below its
``printed`` row misses by its rules, not by its OCR.

Line items have no keys in SROIE, so they are judged by the receipt's own arithmetic: the
share of receipts whose items (with the tax, rounding and discounts printed) add up to
the printed subtotal or total to the cent (``totals_check`` "ok"). An item missed, split
or read with another's amount rarely adds up by chance; "mismatch" is a receipt the
reader is warned about.

    .venv/bin/python bench/receipts.py [--no-write] [--show dev|check|all] [--field NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.metrics import score  # noqa: E402
from bench.receipt_metrics import Tally, norm, same  # noqa: E402
from bench.receipts_cache import cache_all  # noqa: E402
from bench.receipts_data import CACHE, CHECK_SALT, CHECK_SHARE, FIELDS, receipt_items  # noqa: E402
from bench.receipts_stress import fields_of, page_of  # noqa: E402
from bench.report import write_section  # noqa: E402
from masthead.ocr import pipeline  # noqa: E402
from masthead.ocr.document import Document  # noqa: E402
from masthead.ocr.extract import find_dates  # noqa: E402

_KEY_MAP = {"company": "merchant", "date": "date", "address": "address", "total": "total"}
_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}")
_VERBATIM = ("company", "address")  # the fields scored as exact text


def extracted(doc: Document) -> dict[str, str]:
    """The four key fields as the extractor reports them ("" when absent)."""
    found = doc.receipt
    if found is None:
        return dict.fromkeys(FIELDS, "")
    out: dict[str, str] = {}
    for name, attr in _KEY_MAP.items():
        value = found.field(attr)
        out[name] = value.value if value is not None else ""
    return out


def confidences(doc: Document) -> dict[str, float]:
    """The confidence of each key field the extractor reports (absent fields left out)."""
    found = doc.receipt
    if found is None:
        return {}
    fields = {name: found.field(attr) for name, attr in _KEY_MAP.items()}
    return {name: field.confidence for name, field in fields.items() if field is not None}


SURE = 0.7
"""The confidence the calibration table splits fields at."""


def baseline(doc: Document) -> dict[str, str]:
    """First line = company, first date, the amount on the first TOTAL line."""
    lines = [line.text for line in doc.pages[0].lines] if doc.pages else []
    date = next((d[2] for text in lines for d in find_dates(text)), "")
    total = ""
    for text in lines:
        if "TOTAL" in text.upper() and (m := _AMOUNT.findall(text)):
            total = m[-1]
            break
    return {"company": lines[0] if lines else "", "date": date, "address": "", "total": total}


def run(show: str | None, only: str | None, *, cached: bool = False) -> dict[str, object]:
    if not cached:
        cache_all()
    items = [i for i in receipt_items() if (CACHE / f"{i.stem}.json").exists()]
    tallies: dict[tuple[str, str, str], Tally] = {}
    edits: dict[str, list[int]] = {"dev": [0, 0], "check": [0, 0]}
    verbatim: dict[str, dict[str, int]] = {}
    checks: dict[str, Counter[str]] = {"dev": Counter(), "check": Counter()}
    sureness: dict[tuple[str, str], list[tuple[float, bool]]] = {}
    ocr_seconds: list[float] = []
    extract_seconds: list[float] = []
    for item in items:
        stored = json.loads((CACHE / f"{item.stem}.json").read_text(encoding="utf-8"))
        # assembled again: the receipt rules (and the note they take out of the text) as
        # they are now, on the OCR's pages as cached; timed as the extraction
        pages = Document.from_dict(stored["document"]).pages
        started = time.perf_counter()
        doc = pipeline.assemble(pages)
        extract_seconds.append(time.perf_counter() - started)
        ocr_seconds.append(stored["seconds"])
        transcript = item.image.with_suffix(".txt")
        guesses: list[tuple[str, dict[str, str]]] = []
        if transcript.exists():
            printed = transcript.read_text(encoding="utf-8")
            page = score(doc.text, printed)
            edits[item.split][0] += page.char_errors
            edits[item.split][1] += page.chars
            lines = [line for line in printed.splitlines() if line.strip()]
            guesses.append(("transcript", fields_of(page_of(lines))))
            printed_keys = verbatim.setdefault(item.split, dict.fromkeys(("read", *_VERBATIM), 0))
            printed_keys["read"] += 1
            whole = norm(" ".join(lines))
            for name in _VERBATIM:
                printed_keys[name] += norm(item.keys[name]) in whole
        ours = extracted(doc)
        for name, confidence in confidences(doc).items():
            right = same(name, item.keys[name], ours[name])
            sureness.setdefault((item.split, name), []).append((confidence, right))
        checks[item.split][doc.receipt.totals_check if doc.receipt else "none"] += 1
        checks[item.split]["items"] += len(doc.receipt.items) if doc.receipt else 0
        guesses += [("masthead", ours), ("baseline", baseline(doc))]
        for system, guess in guesses:
            for name in FIELDS:
                key = (system, item.split, name)
                tallies.setdefault(key, Tally()).add(name, item.keys[name], guess[name])
        if show in (item.split, "all"):
            _show(item.stem, item.split, item.keys, ours, only)
    return {
        "tallies": tallies,
        "counts": {s: sum(i.split == s for i in items) for s in ("dev", "check")},
        "edits": edits,
        "verbatim": verbatim,
        "checks": checks,
        "sureness": sureness,
        "ocr": ocr_seconds,
        "extract": extract_seconds,
    }


def _show(
    stem: str, split: str, gold: dict[str, str], guess: dict[str, str], only: str | None
) -> None:
    for name in FIELDS:
        if only and name != only:
            continue
        if not same(name, gold[name], guess[name]):
            print(f"{stem} [{split}] {name}: gold={gold[name]!r} got={guess[name]!r}")


def report(result: dict[str, object]) -> str:
    tallies: dict[tuple[str, str, str], Tally] = result["tallies"]  # type: ignore[assignment]
    counts: dict[str, int] = result["counts"]  # type: ignore[assignment]
    ocr: list[float] = result["ocr"]  # type: ignore[assignment]
    ext: list[float] = result["extract"]  # type: ignore[assignment]
    edits: dict[str, list[int]] = result["edits"]  # type: ignore[assignment]
    verbatim: dict[str, dict[str, int]] = result["verbatim"]  # type: ignore[assignment]
    checks: dict[str, Counter[str]] = result["checks"]  # type: ignore[assignment]
    lines = [
        f"Receipt key fields (SROIE task 3 scoring, end to end from the image through "
        f"Masthead's OCR): {counts['dev']} DEV receipts, {counts['check']} CHECK receipts "
        f"(CHECK = first byte of sha256({CHECK_SALT!r} + name) < {CHECK_SHARE} x 256; "
        "never tuned on).",
        "",
        "| system | split | micro F1 | company | date | address | total | soft company "
        "| soft address |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for system in ("masthead", "baseline", "transcript"):
        for split in ("dev", "check"):
            per = [tallies[(system, split, name)] for name in FIELDS]
            micro = per[0].merged(per[1]).merged(per[2]).merged(per[3])
            cells = " | ".join(f"{t.f1:.3f}" for t in per)
            lines.append(
                f"| {system} | {split} | **{micro.f1:.3f}** | {cells} | "
                f"{per[0].soft_mean:.3f} | {per[2].soft_mean:.3f} |"
            )
    for split in ("dev", "check"):
        cells = " | ".join(
            f"{verbatim[split][name] / verbatim[split]['read']:.3f}" if name in _VERBATIM else "-"
            for name in FIELDS
        )
        lines.append(f"| printed | {split} | - | {cells} | - | - |")
    lines += [
        "",
        "transcript = the same rules on each receipt's transcript laid out as even rows (no "
        "OCR slips, no print sizes); printed = the share of receipts whose annotated company "
        "or address is printed word for word (the most exact matching can reach).",
        "",
        "Masthead's precision and recall per field (right / predicted, right / gold): an "
        "empty field costs recall only, a wrong one both.",
        "",
        "| split | " + " | ".join(FIELDS) + " |",
        "|---|" + "---|" * len(FIELDS),
    ]
    for split in ("dev", "check"):
        cells = " | ".join(_precision_recall(tallies[("masthead", split, name)]) for name in FIELDS)
        lines.append(f"| {split} | {cells} |")
    lines += [
        "",
        "Line items, judged by the receipt's own arithmetic (no keys exist for them): the "
        "items, with the tax, rounding and discounts printed, add up to the subtotal or "
        "total to the cent (ok), or do not and the reader is warned (mismatch).",
        "",
        "| split | receipts | items found | ok | mismatch | no items | no receipt |",
        "|---|---|---|---|---|---|---|",
    ]
    for split in ("dev", "check"):
        c = checks[split]
        n = counts[split]
        cells = " | ".join(
            f"{c[k]} ({c[k] / max(n, 1):.0%})" for k in ("ok", "mismatch", "unchecked", "none")
        )
        lines.append(f"| {split} | {n} | {c['items']} | {cells} |")
    lines += ["", *_calibration(result["sureness"])]  # type: ignore[arg-type]
    share = sum(ext) / sum(ocr) * 100
    cer = ", ".join(
        f"{split.upper()} {wrong / max(total, 1):.4f} ({wrong:,} edits / {total:,} characters)"
        for split, (wrong, total) in edits.items()
    )
    lines += [
        "",
        f"The OCR of the same receipts against their transcripts (issue 15; CER micro, "
        f"normalised as bench/metrics): {cer}.",
        "",
        f"Extraction time per receipt: median {statistics.median(ext) * 1000:.1f} ms, "
        f"max {max(ext) * 1000:.1f} ms; OCR time of the same receipts (cached run): median "
        f"{statistics.median(ocr):.2f} s. Extraction adds **{share:.2f} %** to the OCR time.",
        "",
        "baseline = first line as company, first date, the amount on the first TOTAL line, no "
        "address, on the same OCR output.",
        "",
        f"Command: `make bench` (`.venv/bin/python bench/receipts.py`); machine: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{dt.date.today().isoformat()}.",
    ]
    return "\n".join(lines)


def _calibration(sureness: dict[tuple[str, str], list[tuple[float, bool]]]) -> list[str]:
    """Whether a field's confidence tells right from wrong: the share right among the
    fields reported at ``SURE`` or more and among the rest, per split and field."""
    lines = [
        f"Confidence against correctness: of the fields Masthead reports, the share right "
        f"at confidence {SURE} or more and below it (right / reported). A confidence "
        "worth showing has the first share high and well above the second.",
        "",
        "| split | field | confidence >= " + f"{SURE} | below {SURE} | mean when right "
        "| mean when wrong |",
        "|---|---|---|---|---|---|",
    ]
    for split in ("dev", "check"):
        for name in FIELDS:
            pairs = sureness.get((split, name), [])
            sure = [right for confidence, right in pairs if confidence >= SURE]
            doubtful = [right for confidence, right in pairs if confidence < SURE]
            right = [c for c, ok in pairs if ok]
            wrong = [c for c, ok in pairs if not ok]
            lines.append(
                f"| {split} | {name} | {_share(sure)} | {_share(doubtful)} | "
                f"{_mean(right)} | {_mean(wrong)} |"
            )
    return lines


def _share(rights: list[bool]) -> str:
    return f"{sum(rights) / len(rights):.3f} ({sum(rights)}/{len(rights)})" if rights else "-"


def _mean(values: list[float]) -> str:
    return f"{statistics.fmean(values):.2f}" if values else "-"


def _precision_recall(tally: Tally) -> str:
    precision = tally.right / tally.predicted if tally.predicted else 0.0
    recall = tally.right / tally.gold if tally.gold else 0.0
    return f"{precision:.3f} / {recall:.3f} ({tally.right}/{tally.predicted}/{tally.gold})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--show", choices=("dev", "check", "all"))
    parser.add_argument("--field", choices=FIELDS)
    parser.add_argument("--cached", action="store_true", help="score only cached receipts")
    args = parser.parse_args()
    text = report(run(args.show, args.field, cached=args.cached))
    print(text)
    if not args.no_write:
        write_section("receipts", text)


if __name__ == "__main__":
    main()
