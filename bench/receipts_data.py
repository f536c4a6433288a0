"""The benchmark receipts, their keys and the fixed dev/check split.

Receipts are read at run time from the shared folders (``MASTHEAD_OCR_DEV`` and
``MASTHEAD_OCR_KEYS_DEV`` override them) and never copied into the repository.

The CHECK split is chosen by a fixed hash of the file name: a receipt is in CHECK when
the first byte of ``sha256("masthead-receipts:" + stem)`` is below ``CHECK_SHARE * 256``.
The extractor is never tuned on CHECK; only its figures are reported.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "receipts-ocr"
OCR_DEV = Path(os.environ.get("MASTHEAD_OCR_DEV", "/work/shared/ocr-dev"))
KEYS_DEV = Path(os.environ.get("MASTHEAD_OCR_KEYS_DEV", "/work/shared/ocr-keys-dev"))
CHECK_SALT = "masthead-receipts:"
CHECK_SHARE = 0.3
FIELDS = ("company", "date", "address", "total")


@dataclass(frozen=True, slots=True)
class ReceiptItem:
    stem: str
    image: Path
    keys: dict[str, str]

    @property
    def split(self) -> str:
        return split_of(self.stem)


def split_of(stem: str) -> str:
    """ "check" or "dev", from a fixed hash of the file name (never from the content)."""
    digest = hashlib.sha256((CHECK_SALT + stem).encode()).digest()
    return "check" if digest[0] < CHECK_SHARE * 256 else "dev"


def receipt_items() -> list[ReceiptItem]:
    """Every receipt image that has keys, in file-name order."""
    found: dict[str, ReceiptItem] = {}
    for keys_path in sorted((OCR_DEV / "keys").glob("*.json")):
        image = OCR_DEV / f"{keys_path.stem}.jpg"
        if image.exists():
            found[keys_path.stem] = _item(keys_path, image)
    for keys_path in sorted(KEYS_DEV.glob("*.json")):
        image = keys_path.with_suffix(".jpg")
        if image.exists() and keys_path.stem not in found:
            found[keys_path.stem] = _item(keys_path, image)
    return [found[stem] for stem in sorted(found)]


def _item(keys_path: Path, image: Path) -> ReceiptItem:
    raw = json.loads(keys_path.read_text(encoding="utf-8"))
    keys = {name: str(raw.get(name, "") or "") for name in FIELDS}
    return ReceiptItem(keys_path.stem, image, keys)
