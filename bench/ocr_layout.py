"""Reading-order rules judged on a development split and a check split of receipts.

Usage: python bench/ocr_layout.py [--engine rapid] [--refresh]

The layout stage looks only at word boxes, so the engine's words are read once per image
and cached in var/bench/layout_words/ (``--refresh`` reads them again); then every page is
arranged by ``layout.arrange`` and scored against its transcript (CER micro, bench/metrics).

Splits (fixed, recorded here, never tuned on the check split):

* ``dev``: the 30 receipts of ocr-dev, plus the ocr-keys-dev receipts whose file name's
  SHA-256 starts with a hex digit 0-7;
* ``check``: the other ocr-keys-dev receipts (SHA-256 starting 8-f): ~60 receipts no
  layout rule was tuned on;
* ``docs``: the 18 document pages of ocr-docs-dev (columns, tables, rotated pages).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ocr_common as common
from bench.metrics import Score, score

KEYS_DEV = Path(os.environ.get("MASTHEAD_OCR_KEYS_DEV", "/work/shared/ocr-keys-dev"))
CACHE = common.ROOT / "var" / "bench" / "layout_words"


def split_of(set_name: str, file_name: str) -> str:
    """The fixed split of one image: "dev", "check" or "docs"."""
    if set_name == "ocr-docs-dev":
        return "docs"
    if set_name == "ocr-keys-dev":
        return "dev" if hashlib.sha256(file_name.encode()).hexdigest()[0] in "01234567" else "check"
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


def text_of(data: dict[str, object]) -> str:
    from masthead.ocr import layout
    from masthead.ocr.document import BBox, Document, Page, Word

    words = [Word(t, BBox(*b), c) for t, b, c in cast("list[Any]", data["words"])]
    width, height = (int(v) for v in cast("list[int]", data["size"]))
    blocks = layout.arrange(words, (width, height))
    return Document(pages=(Page(1, width, height, 300, blocks=blocks),)).text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="rapid")
    parser.add_argument("--refresh", action="store_true")
    parser.add_argument("--show", action="store_true", help="per-image CER")
    args = parser.parse_args(argv)
    totals: dict[tuple[str, str], list[Score]] = {}
    for split, kind, image, gt in items():
        data = words_of(image, args.engine, args.refresh)
        result = score(text_of(data), gt.read_text(encoding="utf-8"))
        totals.setdefault((split, kind), []).append(result)
        if args.show:
            print(f"{split:5} {kind:10} {image.name:40} {result.cer:.3f}")
    for (split, kind), scores in sorted(totals.items()):
        errors = sum(s.char_errors for s in scores)
        chars = sum(s.chars for s in scores)
        mean = sum(s.cer for s in scores) / len(scores)
        print(
            f"{split:5} {kind:16} n={len(scores):3}  "
            f"CER micro {errors / chars:.4f}  mean {mean:.4f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
