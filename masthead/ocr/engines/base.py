"""The engine contract: an image in, words with boxes out.

An engine MUST:
- return word-level boxes in the pixels of the image it was given (origin top-left);
  an engine that only reports line boxes splits them with ``split_line``;
- return an empty list, not raise, when it finds no text;
- raise only ``OcrError`` subclasses on purpose (``EngineCrashedError`` for its own
  failures, ``OcrTimeoutError`` when it runs out of time);
- keep no state between calls other than loaded models (no sticky per-call options);
- be safe to build once per process and reuse (``engines.get`` caches it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from PIL import Image

from masthead.ocr.document import BBox, Word


@runtime_checkable
class Engine(Protocol):
    name: str

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        """Words found in ``image`` (RGB or L), in any order."""
        ...


def split_line(text: str, bbox: BBox, confidence: float) -> list[Word]:
    """Split a line box into word boxes by each word's share of the characters.

    Proportional widths are only an estimate, but they keep every word inside its line and
    in order, which is what layout, search and the PDF text layer need.
    """
    tokens = text.split()
    if not tokens:
        return []
    total = len(" ".join(tokens))
    per_char = bbox.width / max(total, 1)
    words: list[Word] = []
    offset = 0
    for token in tokens:
        x0 = bbox.x0 + round(offset * per_char)
        x1 = bbox.x0 + round((offset + len(token)) * per_char)
        x1 = min(max(x1, x0 + 1), bbox.x1) if bbox.width else x0
        words.append(Word(token, BBox(x0, bbox.y0, max(x1, x0), bbox.y1), confidence))
        offset += len(token) + 1
    return words
