"""OCR speed and memory: Masthead's pipeline against raw RapidOCR, one process each.

Usage: python bench/ocr_speed.py [--systems masthead,rapidocr] [--limit N] [--threads 1]
                                 [--groups receipt/dev,receipt/check,...] [--no-write]

Equal footing, so that a ratio compares the systems and nothing else:

* every system runs in ONE worker process (``bench/ocr_worker.py SYSTEM --serve``), built
  once, with the same threads: ``--threads`` onnxruntime intra-op threads, one inter-op
  thread, ``OMP_THREAD_LIMIT`` the same for any Tesseract child;
* the same images, handed over one at a time and alternating: image k goes to the systems
  in turn, the order reversed on every other image, and only one system works at a time,
  so the machine's load drifts over all of them alike;
* per kind of page and split, the splits of ``bench/ocr_layout.py`` (receipts: ``dev`` =
  ocr-dev and half of ocr-keys-dev, ``check`` = the other half, never tuned on;
  screenshots of ocr-dev; the document pages of ocr-docs-dev). ``--limit N`` takes N
  images spread evenly over each group.

Reports per group and system: wall seconds per image (median, p95), images per minute
(60 x images / the summed wall seconds of the calls), CPU seconds per image (the process's
own, all threads, plus finished children), and the peak RSS of the worker process
(``VmHWM``, reset before each image). Writes the ``ocr-speed`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench import ocr_layout

RSS_GOAL_MB = 600
GROUPS = ("receipt/dev", "receipt/check", "screenshot/dev", "document/docs")


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    items = select(args.groups, args.limit)
    load = os.getloadavg()
    results, loads = measure(args.systems, items, args.threads)
    loads["_before"] = load[0]
    loads["_after"] = os.getloadavg()[0]
    rows = summarise(results, args.systems)
    lines = report(rows, loads, args, common.machine())
    print("\n".join(lines))
    common.save_raw("ocr_speed", {"loads": loads, "results": results})
    if not args.no_write:
        common.write_section("ocr-speed", lines)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default="masthead,rapidocr", type=lambda s: s.split(","))
    parser.add_argument("--groups", default=",".join(GROUPS), type=lambda s: s.split(","))
    parser.add_argument("--limit", type=int, default=None, help="images per group")
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown or args.threads < 1 or (args.limit is not None and args.limit < 1):
        parser.error(f"groups are {', '.join(GROUPS)}; --threads and --limit are >= 1")
    args.command = "python bench/ocr_speed.py " + " ".join(argv if argv else sys.argv[1:])
    return args


def group_of(split: str, kind: str) -> str:
    """The report group of one image: its kind of page and its split."""
    if kind in ("receipt", "screenshot"):
        return f"{kind}/{split}"
    return "document/docs"


def select(groups: list[str], limit: int | None) -> list[tuple[str, common.Item]]:
    """(group, item) for the images of ``groups``, at most ``limit`` spread evenly per group."""
    found: dict[str, list[common.Item]] = {}
    for split, kind, image, gt in ocr_layout.items():
        group = group_of(split, kind)
        if group in groups:
            item = common.Item(image.parent.name, image.stem, kind, str(image), str(gt))
            found.setdefault(group, []).append(item)
    chosen: list[tuple[str, common.Item]] = []
    for group in groups:
        members = found.get(group, [])
        chosen += [(group, item) for item in spread(members, limit)]
    return chosen


def spread(members: list[Any], limit: int | None) -> list[Any]:
    """``limit`` members at even steps from the first (all of them without a limit)."""
    if limit is None or limit >= len(members):
        return list(members)
    return [members[k * len(members) // limit] for k in range(limit)]


def turns(systems: list[str], index: int) -> list[str]:
    """The order the systems read image ``index`` in: reversed on every other image."""
    return list(systems) if index % 2 == 0 else list(reversed(systems))


def measure(
    systems: list[str], items: list[tuple[str, common.Item]], threads: int
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Every item read by every system's single worker, in alternating order."""
    workers: dict[str, subprocess.Popen[str]] = {}
    loads: dict[str, float] = {}
    try:
        for system in systems:
            workers[system] = start_worker(system, threads)
            hello = answer(workers[system])
            if not hello.get("available"):
                raise SystemExit(f"{system} is not installed: {hello.get('reason')}")
            loads[system] = float(hello["load_seconds"])
            loads[system + "_load_peak"] = float(hello["load_peak_rss_mb"])
        results: list[dict[str, Any]] = []
        for index, (group, item) in enumerate(items):
            for system in turns(systems, index):
                worker = workers[system]
                send(worker.stdin, asdict(item))
                result = answer(worker)
                results.append({**result, "system": system, "group": group})
            print(f"{index + 1}/{len(items)} {group} {item.name}", file=sys.stderr, flush=True)
        return results, loads
    finally:
        for worker in workers.values():
            if worker.stdin:
                worker.stdin.close()
            worker.wait(timeout=60)


def start_worker(system: str, threads: int, root: Path = common.ROOT) -> subprocess.Popen[str]:
    """``bench/ocr_worker.py SYSTEM --serve`` of the checkout at ``root``, ``threads`` each."""
    cmd = [sys.executable, str(root / "bench" / "ocr_worker.py"), system, "--serve"]
    env = {**os.environ, "OMP_THREAD_LIMIT": str(threads)}
    return subprocess.Popen(
        [*cmd, "--threads", str(threads)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def send(stream: IO[str] | None, item: dict[str, Any]) -> None:
    assert stream is not None
    stream.write(json.dumps(item) + "\n")
    stream.flush()


def answer(worker: subprocess.Popen[str]) -> dict[str, Any]:
    assert worker.stdout is not None
    line = worker.stdout.readline()
    if not line:
        raise RuntimeError(f"worker {worker.args!r} stopped (exit {worker.wait()})")
    return dict(json.loads(line))


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank ``share`` percentile of ``values`` (sorted or not)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(results: list[dict[str, Any]], systems: list[str]) -> list[dict[str, Any]]:
    """One row per (group, system) plus an "all" group, in the order the groups came."""
    groups = [*dict.fromkeys(r["group"] for r in results), "all"]
    rows: list[dict[str, Any]] = []
    for group in groups:
        for system in systems:
            mine = [r for r in results if r["system"] == system and group in ("all", r["group"])]
            if not mine:
                continue
            seconds = [float(r["seconds"]) for r in mine]
            rows.append(
                {
                    "group": group,
                    "system": system,
                    "images": len(mine),
                    "median": statistics.median(seconds),
                    "p95": percentile(seconds, 0.95),
                    "per_minute": 60 * len(seconds) / sum(seconds),
                    "cpu": sum(float(r["cpu_seconds"]) for r in mine) / len(mine),
                    "rss": max(float(r["peak_rss_mb"]) for r in mine),
                }
            )
    return rows


def report(
    rows: list[dict[str, Any]],
    loads: dict[str, float],
    args: argparse.Namespace,
    info: dict[str, str],
) -> list[str]:
    systems: list[str] = args.systems
    base = systems[-1]
    lines = ["## OCR speed and memory", "", *common.machine_lines(info, args.command)]
    lines += [
        f"- Load average (1 min) before / after the run: {loads['_before']:.1f} / "
        f"{loads['_after']:.1f} on {info['cores']} cores. The machine is shared: wall-clock "
        "figures are rough, CPU seconds per image are the steadier figure.",
        f"- Settings, the same for every system: ONE process each, onnxruntime "
        f"intra_op_num_threads={args.threads}, inter_op_num_threads=1, "
        f"OMP_THREAD_LIMIT={args.threads}; models loaded before timing "
        + ", ".join(f"{s} {loads[s]:.2f} s" for s in systems)
        + ".",
        "- Same images for every system, handed over one at a time in alternating order "
        "(image k: the systems in turn, reversed on every other image), only one system "
        "working at a time. Groups: kind of page / split of `bench/ocr_layout.py` "
        "(receipts dev = ocr-dev + ocr-keys-dev SHA-256 0-7, check = ocr-keys-dev 8-f, never "
        "tuned on; screenshots of ocr-dev; documents = the images of ocr-docs-dev).",
        "",
        "What each column measures: s/image = wall seconds of one call (file in, text out); "
        "images/min = 60 x images / summed wall seconds of the calls of that one process; "
        "CPU s/image = CPU seconds of the process (all its threads) and its finished "
        "children per image; peak RSS = the worker process's own `VmHWM` while reading "
        "that group (reset before each image; after loading the models: "
        + ", ".join(f"{s} {loads[s + '_load_peak']:.0f} MB" for s in systems)
        + f"). Ratios are {systems[0]} / {base} in the same group: images/min ratio > 1 "
        f"and CPU ratio < 1 mean {systems[0]} is faster per process.",
        "",
        "| group | system | images | s/image median | s/image p95 | images/min "
        "| CPU s/image | peak RSS MB | images/min ratio | CPU s ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    by_key = {(r["group"], r["system"]): r for r in rows}
    for row in rows:
        ref = by_key.get((row["group"], base))
        speed = row["per_minute"] / ref["per_minute"] if ref else float("nan")
        cpu = row["cpu"] / ref["cpu"] if ref and ref["cpu"] else float("nan")
        group = f"**{row['group']}**" if row["group"] == "all" else row["group"]
        lines.append(
            f"| {group} | {row['system']} | {row['images']} | {row['median']:.2f} "
            f"| {row['p95']:.2f} | {row['per_minute']:.1f} | {row['cpu']:.2f} "
            f"| {row['rss']:.0f} | {speed:.2f}x | {cpu:.2f}x |"
        )
    lines += [
        "",
        f"Goals (issue 15): per process, Masthead's images/min >= raw RapidOCR's on the same "
        f"images and threads; peak RSS per process < {RSS_GOAL_MB} MB.",
    ]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
