"""Engine "auto": when the fallback is consulted, and whose words are kept."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from masthead.ocr import fusion
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.fake import FakeEngine
from masthead.ocr.errors import EngineCrashedError
from tests.ocr.engines.faulty import ReportingCrashEngine

PAGE = Image.new("RGB", (800, 400), "white")


def line(texts: list[str], y: int, confidence: float) -> list[Word]:
    words, x = [], 20
    for text in texts:
        words.append(Word(text, BBox(x, y, x + 20 * len(text), y + 30), confidence))
        x += 20 * len(text) + 15
    return words


def strip_reader(text: str, confidence: float) -> FakeEngine:
    """A fallback that reads ``text`` in every crop pasted on the strip it is given."""

    def read(image: Image.Image) -> list[Word]:
        found = []
        dark = np.asarray(image.convert("L")) < 128
        rows = [int(y) for y in np.flatnonzero(dark.any(axis=1))]
        starts = [y for i, y in enumerate(rows) if i == 0 or rows[i - 1] != y - 1]
        for y in starts:
            x = int(np.flatnonzero(dark[y])[0])
            found.append(Word(text, BBox(x, y - 8, x + 80, y + 12), confidence))
        return found

    return FakeEngine(script=read, name="fallback")


def inked(words: list[Word]) -> Image.Image:
    """A page with a dark bar where each word is, so crops are not blank."""
    page = PAGE.copy()
    for word in words:
        page.paste((0, 0, 0), (word.bbox.x0, word.bbox.y0 + 10, word.bbox.x1, word.bbox.y0 + 12))
    return page


def test_confident_page_never_calls_the_fallback() -> None:
    words = line(["all", "clear"], 40, 0.97) + line(["second", "line"], 120, 0.95)
    fallback = FakeEngine(name="fallback")
    auto = fusion.AutoEngine(FakeEngine(words), fallback)
    assert auto.recognise(PAGE, languages=()) == words
    assert fallback.calls == []


def test_doubtful_line_is_replaced_when_fallback_is_clearly_surer() -> None:
    good, bad = line(["TOTAL", "60.30"], 40, 0.98), line(["C4SH", "7O.3O"], 120, 0.55)
    fallback = strip_reader("CASH", 0.93)
    auto = fusion.AutoEngine(FakeEngine(good + bad), fallback)
    result = auto.recognise(inked(good + bad), languages=())
    assert [w.text for w in result] == ["TOTAL", "60.30", "CASH"]
    assert len(fallback.calls) == 1  # one strip for all doubtful lines
    strip_height = fallback.calls[0][0][1]
    assert strip_height < PAGE.height  # only the doubtful line was sent
    replaced = result[-1].bbox
    assert 100 <= replaced.center[1] <= 160  # mapped back onto the doubtful line


def test_doubtful_line_is_kept_when_fallback_is_not_sure_enough() -> None:
    bad = line(["C4SH"], 120, 0.55)
    auto = fusion.AutoEngine(FakeEngine(bad), strip_reader("CASH", 0.6))
    assert auto.recognise(inked(bad), languages=()) == bad


def test_empty_primary_result_asks_the_fallback_for_the_whole_page() -> None:
    fallback = strip_reader("found", 0.9)
    page = inked(line(["x"], 200, 1.0))
    result = fusion.AutoEngine(FakeEngine([]), fallback).recognise(page, languages=())
    assert [w.text for w in result] == ["found"]
    assert fallback.calls[0][0][0] >= PAGE.width  # the strip holds the whole page


def test_fallback_failure_keeps_the_primary_words() -> None:
    bad = line(["C4SH"], 120, 0.5)
    auto = fusion.AutoEngine(FakeEngine(bad), ReportingCrashEngine())
    assert auto.recognise(inked(bad), languages=()) == bad


def test_primary_failure_is_not_hidden() -> None:
    auto = fusion.AutoEngine(ReportingCrashEngine(), FakeEngine(name="fallback"))
    try:
        auto.recognise(PAGE, languages=())
    except EngineCrashedError as exc:
        assert exc.code == "engine_crashed"
    else:
        raise AssertionError("a crashing primary must raise")


class _Packs(FakeEngine):
    def __init__(self, words: Sequence[Word], installed: set[str]) -> None:
        super().__init__(words, name="fallback")
        self.installed = frozenset(installed)


def test_language_outside_the_primary_scripts_goes_to_the_fallback() -> None:
    primary = FakeEngine(line(["latin"], 40, 0.99))
    russian = _Packs(line(["Итого"], 40, 0.9), {"eng", "rus"})
    auto = fusion.AutoEngine(primary, russian)
    assert [w.text for w in auto.recognise(PAGE, languages=("rus",))] == ["Итого"]
    assert primary.calls == []
    assert [w.text for w in auto.recognise(PAGE, languages=("eng",))] == ["latin"]
    missing = fusion.AutoEngine(primary, _Packs([], {"eng"}))
    assert [w.text for w in missing.recognise(PAGE, languages=("ara",))] == ["latin"]


def test_doubtful_picks_least_confident_lines_first() -> None:
    words = line(["a"], 10, 0.7) + line(["b"], 60, 0.3) + line(["c"], 110, 0.99)
    regions = fusion.doubtful(words, (800, 400))
    assert [r.words[0].text for r in regions] == ["b", "a"]
