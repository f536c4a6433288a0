"""Engines that fail on purpose, injected through ``engine=`` (no patching)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from PIL import Image

from masthead.ocr.document import BBox, Word
from masthead.ocr.errors import EngineCrashedError


class CrashingEngine:
    """Raises an unexpected exception, as a broken native library would."""

    name = "crashing"

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        raise RuntimeError("segfault-like failure in the model")


class ReportingCrashEngine:
    """Raises the library's own crash error (a well-behaved engine failing)."""

    name = "reporting"

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        raise EngineCrashedError(self.name, "model file unreadable")


class GarbageEngine:
    """Returns something that is not a list of words."""

    name = "garbage"

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        return [("text", (0, 0, 1, 1))]  # type: ignore[list-item]


class OutOfBoundsEngine:
    """Returns boxes far outside the image and blank words."""

    name = "out-of-bounds"

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        width, height = image.size
        return [
            Word("inside", BBox(width // 4, height // 4, width // 2, height // 2), 0.9),
            Word("outside", BBox(width * 5, height * 5, width * 6, height * 6), 0.9),
            Word("   ", BBox(0, 0, 10, 10), 0.9),
            Word("edge", BBox(width // 2, height // 2, width + 500, height + 500), 0.9),
        ]


class SlowEngine:
    """Takes ``seconds`` per call, then finds nothing."""

    name = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        time.sleep(self.seconds)
        return []
