"""Time and text of pages lying on their side, against the code of another checkout.

Usage: python bench/ocr_turns.py --before DIR [--no-write]

A phone photo of a receipt or a scanned page often arrives turned. Each image below is
read turned each way (90, 180 and 270 degrees counter-clockwise, as
``bench/ocr_accuracy.py`` turns them): ocr-dev's 6 screenshots and 6 of its 30 receipts
(every fifth), and 4 upright pages of ocr-docs-dev (one of each kind); the 5 pages
ocr-docs-dev stores on their side are read as they are. One Masthead worker process per
checkout (``bench/ocr_worker.py masthead --serve``, one thread), the same items in turns
(``bench/ocr_formats.measure``); ``--before DIR`` is another checkout (``git archive REV
bench masthead | tar -x -C DIR``). Reports seconds and CER per kind, and the pages whose
text changed. Writes the ``ocr-turns`` section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench.ocr_formats import measure

DOC_KINDS = ("col1", "col2", "col3", "table")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="an older checkout")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    results = measure({"now": common.ROOT, "before": args.before}, items())
    lines = report(results, common.machine())
    print("\n".join(lines))
    common.save_raw("ocr_turns", results)
    if not args.no_write:
        common.write_section("ocr-turns", lines)
    return 0


def items() -> list[common.Item]:
    """The turned readings described in the module docstring, ground truth as text."""
    dev = common.load_items(["ocr-dev"])
    docs = common.load_items(["ocr-docs-dev"])
    screens = [i for i in dev if i.kind == "screenshot"]
    receipts = [i for i in dev if i.kind == "receipt"][::5]
    upright = [next(i for i in docs if i.kind == kind) for kind in DOC_KINDS]
    on_side = [i for i in docs if i.kind.endswith("-rotated")]
    chosen = [(i, turn) for i in (*screens, *receipts, *upright) for turn in (90, 180, 270)]
    chosen += [(i, 0) for i in on_side]
    return [
        common.Item(i.set, i.name, i.kind, i.path, Path(i.gt).read_text(encoding="utf-8"), turn)
        for i, turn in chosen
    ]


def report(results: list[dict[str, Any]], info: dict[str, str]) -> list[str]:
    by_item: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
    for result in results:
        by_item.setdefault((result["name"], result["turn"]), {})[result["code"]] = result
    groups: dict[str, list[dict[str, dict[str, Any]]]] = {}
    for pair in by_item.values():
        kind = pair["now"]["kind"]
        group = "document, stored on its side" if kind.endswith("-rotated") else kind
        group = "document, turned" if kind in DOC_KINDS else group
        group = f"{group}, turned" if kind in ("receipt", "screenshot") else group
        groups.setdefault(group, []).append(pair)
    lines = [
        "## OCR: pages on their side",
        "",
        *common.machine_lines(info, "python bench/ocr_turns.py --before DIR"),
        "",
        "Each image read turned each way (document pages stored on their side: as they "
        "are), one worker process per checkout, one thread, in turns. Seconds are "
        "wall time per page; CER micro against the ground truth.",
        "",
        "| pages | n | s/page median (now) | (before) | s/page max (now) | (before) "
        "| CER (now) | (before) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for group, pairs in sorted(groups.items()):
        now = [p["now"] for p in pairs]
        before = [p["before"] for p in pairs]
        lines.append(
            f"| {group} | {len(pairs)} | {_median(now):.1f} | {_median(before):.1f} "
            f"| {_max(now):.1f} | {_max(before):.1f} | {_cer(now):.4f} | {_cer(before):.4f} |"
        )
    changed = [
        f"{name} at {turn}: {pair['before']['cer']:.4f} -> {pair['now']['cer']:.4f}"
        for (name, turn), pair in sorted(by_item.items())
        if abs(pair["now"]["cer"] - pair["before"]["cer"]) > 1e-9
    ]
    lines += ["", "Pages whose text changed: " + ("; ".join(changed) or "none") + "."]
    return lines


def _median(results: list[dict[str, Any]]) -> float:
    return statistics.median(float(r["seconds"]) for r in results)


def _max(results: list[dict[str, Any]]) -> float:
    return max(float(r["seconds"]) for r in results)


def _cer(results: list[dict[str, Any]]) -> float:
    edits = sum(int(r["edits"]) for r in results)
    return edits / max(1, sum(int(r["chars"]) for r in results))


if __name__ == "__main__":
    raise SystemExit(main())
