"""Reading-order rules judged on a development split and a check split of receipts.

Usage: python bench/ocr_layout.py [--engine rapid] [--refresh] [--show] [--write]

The layout stage looks only at word boxes, so the engine's words are read once per image
and cached in var/bench/layout_words/ (``--refresh`` reads them again); then every page is
arranged by ``layout.arrange`` and scored against its transcript (CER micro, bench/metrics).
Raw ``RapidOCR()`` (default settings, text in its own output order, as in
bench/ocr_worker.py) reads the same images once too, cached beside the words, so every run
prints it next to Masthead's figures. "rows" is the plain visual-row reading of the same
words (``layout.visual_rows``): the reading the layout must not fall below on receipts.

Splits (fixed, recorded here, never tuned on the check split):

* ``dev``: the 30 receipts and 6 screenshots of ocr-dev, plus the ocr-keys-dev receipts
  that ``bench/receipts_data.split_of`` puts in its dev split;
* ``check``: the ocr-keys-dev receipts that rule puts in CHECK (a salted SHA-256 of the
  file stem, 30%): the same receipts the key-field benchmark never tunes on;
* ``docs``: the 18 document pages of ocr-docs-dev (columns, tables, rotated pages).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench import receipts_data
from bench.metrics import normalise, score

KEYS_DEV = Path(os.environ.get("MASTHEAD_OCR_KEYS_DEV", "/work/shared/ocr-keys-dev"))
CACHE = common.ROOT / "var" / "bench" / "layout_words"


def split_of(set_name: str, file_name: str) -> str:
    """The fixed split of one image: "dev", "check" or "docs"."""
    if set_name == "ocr-docs-dev":
        return "docs"
    if set_name == "ocr-keys-dev":
        return receipts_data.split_of(Path(file_name).stem)
    return "dev"


def items() -> list[tuple[str, str, Path, Path]]:
    """(split, kind, image, transcript) for every scored image."""
    found: list[tuple[str, str, Path, Path]] = []
    for item in common.load_items(["ocr-dev", "ocr-docs-dev"]):
        found.append(
            (split_of(item.set, Path(item.path).name), item.kind, Path(item.path), Path(item.gt))
        )
    for path in sorted(KEYS_DEV.glob("*.jpg")):
        found.append(
            (split_of("ocr-keys-dev", path.name), "receipt", path, path.with_suffix(".txt"))
        )
    return found


def words_of(path: Path, engine: str, refresh: bool) -> dict[str, object]:
    """The words (page pixels) and page size the pipeline hands to layout, cached."""
    cache = CACHE / engine / (path.parent.name + "__" + path.stem + ".json")
    if cache.exists() and not refresh:
        return dict(json.loads(cache.read_text()))
    from masthead.ocr import layout, pipeline
    from masthead.ocr.options import Limits, OcrOptions

    captured: dict[str, object] = {}
    real = layout.arrange

    def capture(words: Any, size: Any) -> Any:
        captured["size"] = list(size)
        captured["words"] = [
            [w.text, [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1], w.confidence] for w in words
        ]
        return real(words, size)

    layout.arrange = capture
    try:
        # Accuracy, not time: a shared, loaded machine must not cut a page short.
        options = OcrOptions(engine=engine, extract_fields=False, limits=Limits(timeout=3600))
        pipeline.run(path, options)
    finally:
        layout.arrange = real
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(captured))
    return captured


def raw_text_of(path: Path, refresh: bool) -> str:
    """Raw ``RapidOCR()``'s text for ``path`` in its own output order, cached."""
    cache = CACHE / "rapidocr-raw" / (path.parent.name + "__" + path.stem + ".txt")
    if cache.exists() and not refresh:
        return cache.read_text(encoding="utf-8")
    result: Any = _raw_engine()(str(path))
    text = "\n".join(result.txts or ())
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(text, encoding="utf-8")
    return text


_RAW: list[Any] = []


def _raw_engine() -> Any:
    if not _RAW:
        from rapidocr import RapidOCR

        _RAW.append(RapidOCR())
    return _RAW[0]


def text_of(data: dict[str, object], order: str = "layout") -> str:
    """The page text of cached words, by the layout (``order="layout"``) or as plain rows."""
    from masthead.ocr import layout
    from masthead.ocr.document import BBox, Block, Document, Line, Page, Word

    words = [Word(t, BBox(*b), c) for t, b, c in cast("list[Any]", data["words"])]
    width, height = (int(v) for v in cast("list[int]", data["size"]))
    if order == "rows":
        lines = tuple(Line.from_words(row) for row in layout.visual_rows(words, (width, height)))
        blocks: tuple[Block, ...] = tuple(Block((line,), line.bbox) for line in lines)
    else:
        blocks = layout.arrange(words, (width, height))
    return Document(pages=(Page(1, width, height, 300, blocks=blocks),)).text


ORDERS = ("raw", "rows", "layout")
"""Raw RapidOCR, Masthead's words as plain visual rows, Masthead's layout."""

GROUPS = (("dev", "receipt"), ("check", "receipt"), ("dev", "screenshot"), ("docs", "docs"))

Totals = dict[str, list[int]]
"""'split/group/order' -> [char errors, chars, pages, sum of per-page CER x 1e6]."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="rapid")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--show", action="store_true", help="per-image CER (dev split only)")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    parser.add_argument(
        "--before",
        metavar="DIR",
        help="also arrange with the masthead package under DIR (e.g. `git archive main "
        "masthead | tar -x -C DIR`): the layout before a change, on the same cached words",
    )
    parser.add_argument(
        "--cached-only", action="store_true", help="skip images not yet read (iteration)"
    )
    parser.add_argument(
        "--raw-cached",
        action="store_true",
        help="score raw RapidOCR only where its text is cached (the report gives its n)",
    )
    parser.add_argument("--code", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.code:  # the --before child: the other code's layout only, as JSON
        sys.path.insert(0, args.code)
        print(json.dumps(_measure(args, ("layout",))[0]))
        return 0
    totals, tables = _measure(args, ORDERS)
    if args.before:
        before = _before(args)
        before["tables/before"] = before.pop("tables/intact")
        totals.update({k.replace("/layout", "/before"): v for k, v in before.items()})
    lines = _report(totals, tables, args)
    print("\n".join(lines))
    if args.write:
        common.write_section("ocr-layout", lines)
    return 0


def _measure(args: argparse.Namespace, orders: tuple[str, ...]) -> tuple[Totals, list[int]]:
    totals: Totals = {}
    tables = [0, 0]
    for split, kind, image, gt in items():
        if args.cached_only and not _cached(image, args.engine):
            continue
        reference = gt.read_text(encoding="utf-8")
        data = words_of(image, args.engine, args.refresh)
        with_raw = "raw" in orders and (not args.raw_cached or _cached(image, args.engine))
        texts = {order: text_of(data, order) for order in orders if order != "raw"}
        if with_raw:
            texts["raw"] = raw_text_of(image, args.refresh)
            texts["layout@raw"] = texts["layout"]
        group = "receipt" if kind == "receipt" else "docs" if split == "docs" else "screenshot"
        for order, text in texts.items():
            found = score(text, reference)
            into = totals.setdefault(f"{split}/{group}/{order}", [0, 0, 0, 0])
            into[0] += found.char_errors
            into[1] += found.chars
            into[2] += 1
            into[3] += round(found.cer * 1e6)
        if split == "docs":
            page = normalise(texts["layout"])
            for row in common.table_rows("ocr-docs-dev").get(image.stem, []):
                tables[0] += normalise(row) in page
                tables[1] += 1
        if args.show and split != "check":
            cers = " ".join(f"{o} {score(t, reference).cer:.3f}" for o, t in texts.items())
            print(f"{split:5} {kind:14} {image.name:36} {cers}")
    totals["tables/intact"] = tables
    return totals, tables


def _cached(image: Path, engine: str) -> bool:
    stem = image.parent.name + "__" + image.stem
    words = CACHE / engine / (stem + ".json")
    return words.exists() and (CACHE / "rapidocr-raw" / (stem + ".txt")).exists()


def _before(args: argparse.Namespace) -> Totals:
    """The figures of the layout under ``--before DIR``, from a child process."""
    cmd = [sys.executable, __file__, "--code", str(Path(args.before).resolve())]
    cmd += ["--engine", args.engine] + (["--cached-only"] if args.cached_only else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return cast("Totals", json.loads(done.stdout.strip().splitlines()[-1]))


def _report(totals: Totals, tables: list[int], args: argparse.Namespace) -> list[str]:
    info = common.machine()
    orders: tuple[tuple[str, str], ...] = (("raw", "raw RapidOCR"), ("rows", "rows"))
    orders += (("before", "layout before"),) if args.before else ()
    orders += (("layout", "layout (Masthead)"),)
    lines = [
        "## OCR reading order: dev and check splits",
        "",
        *common.machine_lines(info, "python bench/ocr_layout.py" + _flags(args)),
        f"- Load average when run: {os.getloadavg()[0]:.1f} (figures are accuracy, not time)",
        "",
        "Engine words (`--engine " + args.engine + "`) read once per image and cached, then "
        "arranged; raw = `RapidOCR()` defaults, text in its own output order, same images. "
        "rows = the same words as plain visual rows; layout = `layout.arrange` (before: the "
        "code given by `--before`). Splits in the script's docstring: check = the key-field "
        "benchmark's CHECK receipts, never tuned on. CER micro; the last column is the "
        "layout's CER mean.",
        "",
        "| split | pages | n | " + " | ".join(label for _, label in orders) + " | mean |",
        "|---|---|---|" + "---|" * len(orders) + "---|",
    ]
    for split, group in GROUPS:
        cells = []
        _, _, pages, cer_sum = totals.get(f"{split}/{group}/layout", [0, 0, 0, 0])
        for order, _ in orders:
            errors, chars, count, _ = totals.get(f"{split}/{group}/{order}", [0, 0, 0, 0])
            cell = f"{errors / chars:.4f}" if chars else "-"
            if order == "raw" and chars and count < pages:
                same = totals[f"{split}/{group}/layout@raw"]
                cell += f" (on {count} pages; layout there {same[0] / same[1]:.4f})"
            cells.append(cell)
        mean = cer_sum / 1e6 / pages if pages else 0.0
        label = {"receipt": "receipts", "screenshot": "screenshots", "docs": "ocr-docs-dev"}
        lines.append(
            f"| {split} | {label[group]} | {pages} | " + " | ".join(cells) + f" | {mean:.4f} |"
        )
    before = totals.get("tables/before", [])
    lines += [
        "",
        f"Table rows of ocr-docs-dev found intact by the layout: {tables[0]}/{tables[1]}"
        + (f" (before: {before[0]}/{before[1]})." if before else "."),
    ]
    return lines


def _flags(args: argparse.Namespace) -> str:
    flags = " --engine " + args.engine if args.engine != "rapid" else ""
    flags += " --cached-only" if args.cached_only else ""
    flags += " --raw-cached" if args.raw_cached else ""
    return flags + (" --before DIR" if args.before else "") + " --write"


if __name__ == "__main__":
    raise SystemExit(main())
