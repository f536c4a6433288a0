"""Engines are given back when idle (docs/decisions/0041), never in the middle of a page.

The clock is passed in (``now=``): these tests say what is released, not how soon.
"""

from __future__ import annotations

import functools
import threading
import time
import weakref

from PIL import Image

from masthead.ocr import engines, pipeline
from masthead.ocr.load import PageImage
from masthead.ocr.options import OcrOptions

IDLE = 60.0


def _later(seconds: float) -> float:
    return time.monotonic() + seconds


def test_an_idle_engine_is_released_and_the_next_read_builds_another() -> None:
    with engines.in_use():
        first = weakref.ref(engines.get("fake"))
    assert not engines.release_idle(IDLE, now=_later(IDLE / 2))
    assert first() is engines.get("fake")

    assert engines.release_idle(IDLE, now=_later(IDLE + 1))

    assert first() is None  # nothing else held it: its memory is gone
    assert isinstance(engines.get("fake"), engines.Engine)


def test_an_engine_is_not_released_while_a_page_is_being_read() -> None:
    with engines.in_use():
        engine = engines.get("fake")
        assert not engines.release_idle(IDLE, now=_later(10 * IDLE))
        assert engines.get("fake") is engine


def test_nothing_to_release_is_reported_as_such() -> None:
    engines.release_idle(0, now=_later(IDLE))
    assert not engines.release_idle(0, now=_later(IDLE))


def test_caches_holding_engines_are_forgotten_with_them() -> None:
    @functools.cache
    def combined() -> list[engines.Engine]:
        return [engines.get("fake")]

    engines.forget_with_engines(combined.cache_clear)
    before = weakref.ref(combined()[0])
    assert engines.release_idle(IDLE, now=_later(IDLE + 1))
    assert before() is None
    assert combined()[0] is engines.get("fake")


def test_reading_a_page_counts_as_use() -> None:
    image = Image.new("RGB", (400, 120), "white")
    page = PageImage(number=1, width=400, height=120, dpi=150, image=image)
    engines.release_idle(0, now=_later(IDLE))  # start from no engine and an old last use
    pipeline.run_page(page, OcrOptions(engine="fake", detect_orientation=False))
    assert not engines.release_idle(IDLE, now=_later(IDLE / 2))  # the page just ended
    assert engines.release_idle(IDLE, now=_later(IDLE + 1))


def test_one_release_thread_a_process_and_none_when_engines_are_kept() -> None:
    def reapers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name == "ocr-engine-release"]

    running = len(reapers())
    engines.release_when_idle(0)  # 0 keeps the engines: no thread
    assert len(reapers()) == running
    engines.release_when_idle(3600)  # wakes every 15 minutes: silent for this run
    engines.release_when_idle(3600)
    assert len(reapers()) == 1 and all(t.daemon for t in reapers())
