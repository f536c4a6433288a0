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
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench import receipts_data
from bench.metrics import Score, normalise, score

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
    from masthead.ocr.options import OcrOptions

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
        pipeline.run(path, OcrOptions(engine=engine, extract_fields=False))
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="rapid")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--show", action="store_true", help="per-image CER")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    totals: dict[tuple[str, str, str], list[Score]] = {}
    tables = [0, 0]
    for split, kind, image, gt in items():
        reference = gt.read_text(encoding="utf-8")
        data = words_of(image, args.engine, args.refresh)
        texts = {
            "raw": raw_text_of(image, args.refresh),
            "rows": text_of(data, "rows"),
            "layout": text_of(data),
        }
        found = {order: score(text, reference) for order, text in texts.items()}
        group = "receipt" if kind == "receipt" else "screenshot" if split == "dev" else "docs"
        for order, result in found.items():
            totals.setdefault((split if split != "docs" else "dev", group, order), []).append(
                result
            )
        if split == "docs":
            page = normalise(texts["layout"])
            for row in common.table_rows("ocr-docs-dev").get(image.stem, []):
                tables[0] += normalise(row) in page
                tables[1] += 1
        if args.show:
            cers = " ".join(f"{o} {found[o].cer:.3f}" for o in ORDERS)
            print(f"{split:5} {kind:14} {image.name:36} {cers}")
    lines = _report(totals, tables, args)
    print("\n".join(lines))
    if args.write:
        common.write_section("ocr-layout", lines)
    return 0


def _report(
    totals: dict[tuple[str, str, str], list[Score]], tables: list[int], args: argparse.Namespace
) -> list[str]:
    info = common.machine()
    lines = [
        "## OCR reading order: dev and check splits",
        "",
        *common.machine_lines(info, "python bench/ocr_layout.py" + _flags(args)),
        f"- Load average when run: {os.getloadavg()[0]:.1f} (figures are accuracy, not time)",
        "",
        "Engine words (`--engine " + args.engine + "`) cached once per image, then arranged; "
        "raw = `RapidOCR()` defaults, text in its output order, same images. rows = the same "
        "words as plain visual rows; layout = `layout.arrange`. Splits: see the script's "
        "docstring (check = the key-field benchmark's CHECK receipts, never tuned on).",
        "",
        "| split | pages | n | raw RapidOCR | rows | layout (Masthead) | layout mean |",
        "|---|---|---|---|---|---|---|",
    ]
    for split, group in (
        ("dev", "receipt"),
        ("check", "receipt"),
        ("dev", "screenshot"),
        ("dev", "docs"),
    ):
        cells = []
        for order in ORDERS:
            scores = totals.get((split, group, order), [])
            errors = sum(s.char_errors for s in scores)
            chars = sum(s.chars for s in scores)
            cells.append(f"{errors / chars:.4f}" if chars else "-")
        layout = totals.get((split, group, "layout"), [])
        mean = sum(s.cer for s in layout) / len(layout) if layout else 0.0
        label = "ocr-docs-dev" if group == "docs" else group + "s"
        lines.append(
            f"| {split} | {label} | {len(layout)} | " + " | ".join(cells) + f" | {mean:.4f} |"
        )
    lines += [
        "",
        f"Table rows of ocr-docs-dev found intact by the layout: {tables[0]}/{tables[1]}.",
    ]
    return lines


def _flags(args: argparse.Namespace) -> str:
    return (" --engine " + args.engine if args.engine != "rapid" else "") + " --write"


if __name__ == "__main__":
    raise SystemExit(main())
