"""OCR accuracy: Masthead's pipeline against raw RapidOCR and Tesseract, same images, same run.

Usage: python bench/ocr_accuracy.py [--sets ocr-dev,ocr-docs-dev] [--limit N]
                                    [--no-rotations] [--rotate masthead,rapidocr]
                                    [--systems masthead,rapidocr,...] [--jobs 4] [--no-write]

Scores whole-page text with the metrics in ``bench/metrics.py`` (CER micro and mean,
WER, bag-of-words F1), per set, per kind of page, and for the same images turned by
90/180/270 degrees. Writes the ``ocr-accuracy`` section of BENCHMARKS.md and the
per-image results to var/bench/ocr_accuracy.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench.metrics import Score, normalise, score, summarise

TURNS = (90, 180, 270)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    items = common.load_items(args.sets, args.limit)
    turns = () if args.no_rotations else TURNS
    if args.from_raw:
        reports = json.loads((common.ROOT / "var" / "bench" / "ocr_accuracy.json").read_text())
        args.command += " (report rebuilt from the last run's per-image results)"
    else:
        reports = _run(args, items, turns)
    rows = _scores(reports)
    lines = _report(rows, reports, args, common.machine())
    print("\n".join(lines))
    if not args.from_raw:
        common.save_raw("ocr_accuracy", reports)
    if not args.no_write:
        common.write_section("ocr-accuracy", lines)
    return 0


def _run(
    args: argparse.Namespace, items: list[common.Item], turns: tuple[int, ...]
) -> dict[str, dict[str, object]]:
    chunks: list[tuple[str, list[common.Item]]] = []
    for system in args.systems:
        for set_name in args.sets:
            upright = [i for i in items if i.set == set_name]
            chunks.append((system, upright))
            if system in args.rotate and set_name in args.rotate_sets:
                chunks += [(system, common.turned(upright, (turn,))) for turn in turns]
    print(f"{len(chunks)} worker runs, {args.jobs} at a time", file=sys.stderr, flush=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        done = list(pool.map(lambda chunk: common.run_worker(*chunk), chunks))
    reports = common.merge_reports(args.systems, done)
    return reports


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(common.SETS), type=lambda s: s.split(","))
    parser.add_argument("--systems", default=",".join(common.SYSTEMS), type=lambda s: s.split(","))
    parser.add_argument("--limit", type=int, default=None, help="images per set")
    parser.add_argument("--no-rotations", action="store_true")
    parser.add_argument(
        "--rotate",
        default="masthead",
        type=lambda s: s.split(","),
        help="systems that also read the turned copies (default: masthead; peers are slow)",
    )
    parser.add_argument(
        "--rotate-sets",
        default="ocr-dev",
        type=lambda s: s.split(","),
        help="sets whose images are also read turned (ocr-docs-dev has turned pages already)",
    )
    parser.add_argument("--jobs", type=int, default=4, help="worker processes side by side")
    parser.add_argument("--from-raw", action="store_true", help="rebuild the report only")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit BENCHMARKS.md")
    args = parser.parse_args(argv)
    args.command = "python bench/ocr_accuracy.py " + " ".join(argv if argv else sys.argv[1:])
    return args


Rows = dict[tuple[str, str, str, int], list[Score]]  # (system, set, kind, turn) -> scores


def _scores(reports: dict[str, dict[str, object]]) -> Rows:
    rows: Rows = defaultdict(list)
    for system, report in reports.items():
        for result in report.get("results", []):  # type: ignore[attr-defined]
            reference = Path(result["gt"]).read_text(encoding="utf-8")
            found = score(result["text"], reference)
            rows[(system, result["set"], result["kind"], result["turn"])].append(found)
    return rows


def _pick(
    rows: Rows, system: str, set_name: str, turn: int | None, kind: str | None
) -> list[Score]:
    return [
        s
        for (sys_, set_, kind_, turn_), scores in rows.items()
        if sys_ == system
        and set_ == set_name
        and (turn is None or turn_ == turn)
        and (kind is None or kind_ == kind)
        for s in scores
    ]


def _report(
    rows: Rows,
    reports: dict[str, dict[str, object]],
    args: argparse.Namespace,
    info: dict[str, str],
) -> list[str]:
    systems = [s for s in args.systems if reports[s].get("available")]
    lines = ["## OCR accuracy", "", *common.machine_lines(info, args.command), ""]
    lines += _definitions()
    for missing in (s for s in args.systems if not reports[s].get("available")):
        reason = reports[missing].get("reason", "")
        lines.append(f"- {missing}: not installed here, so not measured ({reason}).")
    lines.append("")
    for set_name in args.sets:
        lines += _set_table(rows, systems, set_name, args.no_rotations)
    return lines + _goals(rows, reports.get("masthead", {}))


def _goals(rows: Rows, masthead: dict[str, object]) -> list[str]:
    """The project's goals, each with Masthead's figure and met / missed."""
    out = ["### Goals (Masthead)", "", "| goal | measured | met |", "|---|---|---|"]

    def add(goal: str, value: str, met: bool) -> None:
        out.append(f"| {goal} | {value} | {'yes' if met else 'no'} |")

    dev = summarise(_pick(rows, "masthead", "ocr-dev", 0, None))
    if dev.images:
        add("ocr-dev CER micro <= 0.035", f"{dev.cer_micro:.4f}", dev.cer_micro <= 0.035)
        add("ocr-dev CER mean <= 0.045", f"{dev.cer_mean:.4f}", dev.cer_mean <= 0.045)
        for turn in TURNS:
            rot = summarise(_pick(rows, "masthead", "ocr-dev", turn, None))
            if rot.images:
                ok = rot.cer_micro <= 1.1 * dev.cer_micro and rot.cer_mean <= 1.1 * dev.cer_mean
                value = f"{rot.cer_micro:.4f} / {rot.cer_mean:.4f}"
                add(f"ocr-dev turned {turn}: micro/mean within 10% of upright", value, ok)
    docs = summarise(_pick(rows, "masthead", "ocr-docs-dev", 0, None))
    if docs.images:
        add(
            "ocr-docs-dev CER mean <= 0.03 (all pages)",
            f"{docs.cer_mean:.4f}",
            docs.cer_mean <= 0.03,
        )
        multi = [
            s.cer
            for (sys_, set_, kind, turn), scores in rows.items()
            if sys_ == "masthead"
            and set_ == "ocr-docs-dev"
            and turn == 0
            and kind.split("-")[0] in ("col2", "col3", "mixed")
            and not kind.endswith("rotated")
            for s in scores
        ]
        if multi:
            add(
                "every upright multi-column page <= 0.02",
                f"worst {max(multi):.4f}",
                max(multi) <= 0.02,
            )
        intact, total = _table_rows(masthead)
        if total:
            add("every table row intact", f"{intact}/{total} rows", intact == total)
    out.append("")
    return out


def _table_rows(masthead: dict[str, object]) -> tuple[int, int]:
    """Table rows (from the manifest) found verbatim, in order of cells, in the page text."""
    wanted = common.table_rows("ocr-docs-dev")
    intact = total = 0
    for result in masthead.get("results", []):  # type: ignore[attr-defined]
        if result["set"] != "ocr-docs-dev" or result["turn"] != 0:
            continue
        text = normalise(result["text"])
        for row in wanted.get(result["name"], []):
            total += 1
            intact += normalise(row) in text
    return intact, total


def _definitions() -> list[str]:
    return [
        "Scoring (bench/metrics.py): whole-page text, Unicode NFKC, case-folded, every run of "
        "whitespace (spaces, tabs, newlines) collapsed to one space. CER = Levenshtein "
        "distance / ground-truth characters; *micro* pools all pages of a set, *mean* "
        "averages per-page CERs. WER is the same over words (micro). F1 is bag-of-words "
        "(order-free) F1 (micro). Reading order counts, because the page is one string. "
        "Rotated rows turn each image 90/180/270 degrees counter-clockwise before reading "
        "(ocr-dev only: ocr-docs-dev already holds turned pages, kind `*-rotated`).",
        "",
    ]


def _set_table(rows: Rows, systems: list[str], set_name: str, no_rotations: bool) -> list[str]:
    lines = [
        f"### {set_name}",
        "",
        "| system | pages | CER micro | CER mean | WER | F1 | vs Masthead (CER micro) |",
        "|---|---|---|---|---|---|---|",
    ]
    base = summarise(_pick(rows, "masthead", set_name, 0, None))
    for system in systems:
        for turn in (0,) + (() if no_rotations else TURNS):
            found = summarise(_pick(rows, system, set_name, turn, None))
            if not found.images:
                continue
            ratio = found.cer_micro / base.cer_micro if base.cer_micro else float("nan")
            label = system if turn == 0 else f"{system}, turned {turn}"
            lines.append(
                f"| {label} | {found.images} | {found.cer_micro:.4f} | {found.cer_mean:.4f} "
                f"| {found.wer_micro:.4f} | {found.f1_micro:.4f} | {ratio:.2f}x |"
            )
    lines += ["", "Per kind of page (upright), CER micro / mean:", ""]
    kinds = sorted({k for (_, s, k, _) in rows if s == set_name})
    lines += ["| kind | " + " | ".join(systems) + " |", "|---" * (len(systems) + 1) + "|"]
    for kind in kinds:
        cells = []
        for system in systems:
            found = summarise(_pick(rows, system, set_name, 0, kind))
            cells.append(f"{found.cer_micro:.3f} / {found.cer_mean:.3f} ({found.images})")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
