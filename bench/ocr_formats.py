"""Peak memory of one large page in each image format a user may upload.

Usage: python bench/ocr_formats.py [--scans sroie_428,sroie_290] [--before DIR] [--no-write]

``bench/ocr_speed.py`` measures memory on the benchmark pages, which are all JPEG scans;
a JPEG is decoded straight at a half or a quarter of its size. The same page as a PNG,
WebP, HEIC or TIFF is decoded whole, and a PDF holding it (the scan at 300 dpi, on an
A2 page) is drawn at the resolution asked for. Each scan named by ``--scans`` (read from
the shared folder at run time) is written, in a temporary folder removed afterwards, in
each format at its own size (4961 x 7016, 35 megapixels) and at 3000 x 4243 (a
12-megapixel phone photo). One Masthead worker process reads every file
(``bench/ocr_worker.py masthead --serve``, one thread, models loaded once), its peak RSS
(``VmHWM``) reset before each file. ``--before DIR`` reads the same files with the code of
another checkout (``git archive REV bench masthead | tar -x -C DIR``), in turns with this
one, so both columns come from the same run. CER is against the scan's transcript (the
same page in every format; WebP and PDF hold lossy copies). Writes the ``ocr-formats``
section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from bench import metrics
from bench import ocr_common as common
from bench.ocr_speed import RSS_GOAL_MB, answer, send, start_worker
from masthead.ocr import imaging

SCANS = ("sroie_428", "sroie_290")
"""The two largest receipt scans of ocr-keys-dev (4961 x 7016, 35 megapixels)."""

PHONE = (3000, 4243)
"""A 12-megapixel photo of the same page."""

FORMATS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "JPEG": ("jpg", "JPEG", {"quality": 90}),
    "PNG": ("png", "PNG", {"compress_level": 6}),
    "WebP": ("webp", "WEBP", {"quality": 90}),
    "HEIC": ("heic", "HEIF", {"quality": 80}),
    "TIFF": ("tiff", "TIFF", {"compression": "tiff_lzw"}),
    "PDF": ("pdf", "PDF", {"resolution": 300.0}),
}


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    imaging.register_heif()
    shared = common.ROOT.parent / "shared" / "ocr-keys-dev"
    roots = {"now": common.ROOT, **({"before": args.before} if args.before else {})}
    with tempfile.TemporaryDirectory(prefix="masthead-formats-") as folder:
        items = _files(shared, args.scans, Path(folder))
        results = measure(roots, items)
    lines = report(results, list(roots), common.machine(), args)
    print("\n".join(lines))
    common.save_raw("ocr_formats", results)
    if not args.no_write:
        common.write_section("ocr-formats", lines)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", default=",".join(SCANS), type=lambda s: s.split(","))
    parser.add_argument("--before", type=Path, default=None, help="an older checkout")
    parser.add_argument("--no-write", action="store_true")
    return parser.parse_args(argv)


def _files(shared: Path, scans: list[str], folder: Path) -> list[common.Item]:
    """Every scan written in every format at both sizes, as items to read."""
    items: list[common.Item] = []
    for stem in scans:
        truth = (shared / f"{stem}.txt").read_text(encoding="utf-8")
        with Image.open(shared / f"{stem}.jpg") as opened:
            page = opened.convert("RGB")
        for size_name, image in (("native", page), ("phone", page.resize(PHONE))):
            for name, (suffix, pil_format, params) in FORMATS.items():
                path = folder / f"{stem}-{size_name}.{suffix}"
                image.save(path, format=pil_format, **params)
                label = f"{name} {image.width} x {image.height}"
                items.append(common.Item(stem, label, "receipt", str(path), truth))
    return items


def measure(roots: dict[str, Path], items: list[common.Item]) -> list[dict[str, Any]]:
    """Every item read by one Masthead worker per checkout, in turns; ``gt`` is the text."""
    workers = {name: start_worker("masthead", 1, root) for name, root in roots.items()}
    try:
        for worker in workers.values():
            if not answer(worker).get("available"):
                raise SystemExit("Masthead's OCR could not start")
        results: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            order = list(workers) if index % 2 == 0 else list(reversed(workers))
            for name in order:
                send(workers[name].stdin, asdict(item))
                reply = answer(workers[name])
                page = metrics.score(reply.pop("text"), item.gt)
                reply.pop("gt")
                results.append(
                    {
                        **reply,
                        "code": name,
                        "cer": page.char_errors / page.chars,
                        "edits": page.char_errors,
                        "chars": page.chars,
                    }
                )
            print(f"{index + 1}/{len(items)} {item.set} {item.name}", file=sys.stderr, flush=True)
        return results
    finally:
        for worker in workers.values():
            if worker.stdin:
                worker.stdin.close()
            worker.wait(timeout=60)


def report(
    results: list[dict[str, Any]], codes: list[str], info: dict[str, str], args: argparse.Namespace
) -> list[str]:
    command = "python bench/ocr_formats.py" + (" --before DIR" if args.before else "")
    header = "| scan | file | " + " | ".join(f"peak RSS MB ({c})" for c in codes)
    header += " | CER | s |"
    lines = [
        "## OCR memory by image format",
        "",
        *common.machine_lines(info, command),
        "",
        "One Masthead worker process per checkout, one thread, models loaded before; peak "
        "RSS (`VmHWM`) reset before each file. The same scan saved in each format at its own "
        f"size and as a 12-megapixel photo; goal (issue 15): peak RSS < {RSS_GOAL_MB} MB. "
        "CER and seconds are this checkout's.",
        "",
        header,
        "|" + "---|" * (len(codes) + 4),
    ]
    rows: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for result in results:
        rows.setdefault((result["set"], result["name"]), {})[result["code"]] = result
    for (stem, label), by_code in rows.items():
        now = by_code["now"]
        peaks = " | ".join(f"{by_code[c]['peak_rss_mb']:.0f}" for c in codes)
        lines.append(f"| {stem} | {label} | {peaks} | {now['cer']:.4f} | {now['seconds']:.1f} |")
    over = [f"{s} {n}" for (s, n), by in rows.items() if by["now"]["peak_rss_mb"] >= RSS_GOAL_MB]
    lines += ["", f"At or over {RSS_GOAL_MB} MB now: " + (", ".join(over) or "none") + "."]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
