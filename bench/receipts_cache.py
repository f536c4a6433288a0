"""Read every benchmark receipt once through Masthead's pipeline and keep the result.

``bench/receipts.py`` scores the receipt extractor on these cached documents, so its
iteration loop never waits for OCR. The cache lives in ``var/bench/receipts-ocr/`` (not
committed): one ``<stem>.json`` per image holding the document (``Document.to_dict()``,
without fields) and the seconds the OCR took. Images are read at run time from the
shared folders and never copied.

    .venv/bin/python bench/receipts_cache.py [--limit N] [--force]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.receipts_data import CACHE, receipt_items  # noqa: E402
from masthead.ocr import pipeline  # noqa: E402
from masthead.ocr.options import OcrOptions  # noqa: E402


def cache_all(*, limit: int | None = None, force: bool = False) -> int:
    """OCR every receipt not yet cached; returns how many were read now."""
    CACHE.mkdir(parents=True, exist_ok=True)
    options = OcrOptions(extract_fields=False)
    engine = pipeline.resolve_engine(options)
    done = 0
    for item in receipt_items()[:limit]:
        target = CACHE / f"{item.stem}.json"
        if target.exists() and not force:
            continue
        started = time.perf_counter()
        document = pipeline.run(item.image, options, engine=engine)
        seconds = time.perf_counter() - started
        payload = {"seconds": seconds, "document": document.to_dict()}
        target.write_text(json.dumps(payload), encoding="utf-8")
        done += 1
        print(f"{item.stem}: {seconds:.1f} s", flush=True)
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    cache_all(limit=args.limit, force=args.force)


if __name__ == "__main__":
    main()
