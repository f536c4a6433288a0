"""Engines the tool tests plug in through MASTHEAD_OCR_ENGINE_FACTORY (no patching).

``scripted`` reads nothing: it returns two known lines placed where ``images.draw_page``
draws them, as fractions of whatever image it is given (the pipeline scales and pads).
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from PIL import Image

from masthead import ocr
from masthead.ocr.engines.fake import FakeEngine

LINES = (
    ("Hello Masthead reader", (0.05, 0.15, 0.75, 0.35)),
    ("Invoice total: 42.50 EUR", (0.05, 0.55, 0.85, 0.75)),
)
TEXT = "\n".join(text for text, _ in LINES)


def _words(image: Image.Image) -> list[ocr.Word]:
    width, height = image.size
    words: list[ocr.Word] = []
    for text, (x0, y0, x1, y1) in LINES:
        box = ocr.BBox(round(x0 * width), round(y0 * height), round(x1 * width), round(y1 * height))
        words.extend(ocr.engines.split_line(text, box, 0.97))
    return words


def scripted() -> FakeEngine:
    return FakeEngine(script=_words, name="scripted")


class _Overrun:
    """Behaves as if the worker's soft time limit struck during recognition (U26, F06)."""

    name = "overrun"

    def recognise(self, image: Image.Image, *, languages: object) -> list[ocr.Word]:
        from celery.exceptions import SoftTimeLimitExceeded

        raise SoftTimeLimitExceeded()


def overrun() -> _Overrun:
    return _Overrun()


class _Crashing:
    """Fails like an engine adapter whose native code crashed (transient)."""

    name = "crashing"

    def __init__(self) -> None:
        self.calls = 0

    def recognise(self, image: Image.Image, *, languages: object) -> list[ocr.Word]:
        self.calls += 1
        raise ocr.EngineCrashedError(self.name, "native code stopped")


def crashing() -> _Crashing:
    return _Crashing()


class _SiblingFails:
    """While this page is being read, page 2 of the same job fails it (its page is too
    large to render, in a worker beside this one); then this page's engine ``then``s:
    "crashes" (a transient error) or "reads" (returns its words as usual)."""

    def __init__(self, then: str) -> None:
        self.name = f"sibling-fails-then-{then}"
        self.then = then
        self.calls = 0

    def recognise(self, image: Image.Image, *, languages: object) -> list[ocr.Word]:
        from masthead.tools import jobs
        from masthead.tools.models import OcrJob

        self.calls += 1
        job = OcrJob.objects.get()  # the test's one job
        jobs.ocr_page_run(job_id=job.pk, page_no=2)
        if self.then == "crashes":
            raise ocr.EngineCrashedError(self.name, "native code stopped")
        return _words(image)


def sibling_fails_then_crashes() -> _SiblingFails:
    return _SiblingFails("crashes")


def sibling_fails_then_reads() -> _SiblingFails:
    return _SiblingFails("reads")


class _Held:
    """Reads like ``scripted``, but only once the test lets go (stack tests, finding 9).

    Each read drops a ``reading-*`` file in ``$TEST_OCR_HOLD_DIR`` and waits for a
    ``release`` file there (at most a minute), so a test knows exactly how many uploads
    are being read in web requests at a given moment, without timing guesses.
    """

    name = "held"

    def recognise(self, image: Image.Image, *, languages: object) -> list[ocr.Word]:
        folder = Path(os.environ["TEST_OCR_HOLD_DIR"])
        (folder / f"reading-{uuid.uuid4().hex}").touch()
        deadline = time.monotonic() + 60
        while not (folder / "release").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return _words(image)


def held() -> _Held:
    return _Held()
