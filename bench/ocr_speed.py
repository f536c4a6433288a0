"""OCR speed and memory: Masthead's pipeline against raw RapidOCR and Tesseract.

Usage: python bench/ocr_speed.py [--sets ocr-dev,ocr-docs-dev] [--limit N]
                                 [--systems masthead,rapidocr,tesseract] [--procs 2]
                                 [--no-write]

Each system reads the same upright images in its own worker process(es), one system at
a time. Masthead runs as it is deployed on a 2-core box: ``--procs`` worker processes
with one onnxruntime thread each, the images shared between them. Raw RapidOCR runs
with its defaults (one process, onnxruntime's default thread count). Reports seconds
per image (median, p95), images per minute over the wall-clock time of the whole run,
peak RSS per process, and model load time. Writes the ``ocr-speed`` section of
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common

RSS_GOAL_MB = 700


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.from_accuracy:
        return _from_accuracy(args)
    items = common.load_items(args.sets, args.limit)
    rows: list[dict[str, object]] = []
    for system in args.systems:
        procs = args.procs if system == "masthead" else 1
        print(f"{system}: {len(items)} images, {procs} process(es)", file=sys.stderr, flush=True)
        rows.append(_measure(system, items, procs))
    lines = _report(rows, args, common.machine())
    print("\n".join(lines))
    common.save_raw("ocr_speed", rows)
    if not args.no_write:
        common.write_section("ocr-speed", lines)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(common.SETS), type=lambda s: s.split(","))
    parser.add_argument(
        "--systems", default="masthead,rapidocr,tesseract", type=lambda s: s.split(",")
    )
    parser.add_argument("--limit", type=int, default=None, help="images per set")
    parser.add_argument("--procs", type=int, default=2, help="Masthead worker processes")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--from-accuracy",
        action="store_true",
        help="summarise the timings and peaks recorded by the last ocr_accuracy.py run "
        "(upright images) instead of measuring again",
    )
    args = parser.parse_args(argv)
    args.command = "python bench/ocr_speed.py " + " ".join(argv if argv else sys.argv[1:])
    return args


def _measure(system: str, items: list[common.Item], procs: int) -> dict[str, object]:
    shares = [items[k::procs] for k in range(procs)]
    threads = 1 if system == "masthead" else 0
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=procs) as pool:
        reports = list(
            pool.map(lambda share: common.run_worker(system, share, threads=threads), shares)
        )
    wall = time.perf_counter() - start
    if not all(r.get("available") for r in reports):
        return {"system": system, "available": False}
    seconds = sorted(float(r["seconds"]) for rep in reports for r in rep["results"])  # type: ignore[attr-defined]
    own = max(float(r["peak_rss_mb"]) for r in reports)  # type: ignore[arg-type]
    children = max(float(r["children_peak_rss_mb"]) for r in reports)  # type: ignore[arg-type]
    return {
        "system": system,
        "available": True,
        "procs": procs,
        "images": len(seconds),
        "median": statistics.median(seconds),
        "p95": seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))],
        "per_minute": 60 * len(seconds) / wall,
        "wall": wall,
        "rss": own,
        "children_rss": children,
        "load": max(float(r["load_seconds"]) for r in reports),  # type: ignore[arg-type]
    }


def _from_accuracy(args: argparse.Namespace) -> int:
    """Speed rows from var/bench/ocr_accuracy.json: same images, same run as the accuracy."""
    reports = json.loads((common.ROOT / "var" / "bench" / "ocr_accuracy.json").read_text())
    rows: list[dict[str, object]] = []
    for system in args.systems:
        report = reports.get(system)
        if not report or not report.get("available"):
            rows.append({"system": system, "available": False})
            continue
        upright = [r for r in report["results"] if r["turn"] == 0 and r["set"] in args.sets]
        seconds = sorted(float(r["seconds"]) for r in upright)
        rows.append(
            {
                "system": system,
                "available": True,
                "procs": 1,
                "images": len(seconds),
                "median": statistics.median(seconds),
                "p95": seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))],
                "per_minute": 60 * len(seconds) / sum(seconds),
                "wall": sum(seconds),
                "rss": float(report["peak_rss_mb"]),
                "children_rss": float(report["children_peak_rss_mb"]),
                "load": float(report["load_seconds"]),
            }
        )
    args.command += " (timings recorded by the ocr_accuracy.py run; workers ran side by side)"
    lines = _report(rows, args, common.machine())
    print("\n".join(lines))
    if not args.no_write:
        common.write_section("ocr-speed", lines)
    return 0


def _report(
    rows: list[dict[str, object]], args: argparse.Namespace, info: dict[str, str]
) -> list[str]:
    lines = ["## OCR speed and memory", "", *common.machine_lines(info, args.command), ""]
    lines += [
        (
            "Timings taken from the accuracy run: its workers ran side by side on a loaded "
            "machine, so only the ratios mean anything; images per minute = 60 / mean "
            "seconds per image of one process. "
            if args.from_accuracy
            else "Same upright images for every system, one system at a time. Images per "
            "minute = images / wall-clock seconds of the whole run (all of that system's "
            "processes). "
        )
        + "Peak RSS is per process (`ru_maxrss`); for Tesseract it is the `tesseract` "
        "child process, for Masthead the Python process (its Tesseract fallback child, "
        "when used, is listed separately; `ru_maxrss` of children also counts a forked "
        "child's copy of the parent before it execs, so that column over-reads).",
        "",
        "| system | processes | images | s/image median | s/image p95 | images/min | "
        "peak RSS MB / process | child RSS MB | model load s | throughput vs raw RapidOCR |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = next((r for r in rows if r["system"] == "rapidocr" and r.get("available")), None)
    for row in rows:
        if not row.get("available"):
            lines.append(f"| {row['system']} | not installed | | | | | | | | |")
            continue
        ratio = float(row["per_minute"]) / float(base["per_minute"]) if base else float("nan")  # type: ignore[arg-type]
        lines.append(
            f"| {row['system']} | {row['procs']} | {row['images']} | {row['median']:.2f} "
            f"| {row['p95']:.2f} | {row['per_minute']:.1f} | {row['rss']:.0f} "
            f"| {row['children_rss']:.0f} | {row['load']:.2f} | {ratio:.2f}x |"
        )
    lines += [
        "",
        f"Goal: Masthead images/min >= raw RapidOCR's; peak RSS per process < {RSS_GOAL_MB} MB.",
    ]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
