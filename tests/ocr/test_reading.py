"""The reading stage: upright pages are read once; turned pages are probed and re-read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from masthead.ocr import reading
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.base import Engine
from masthead.ocr.engines.fake import FakeEngine
from masthead.ocr.fusion import AutoEngine


class WideIsUpright:
    """Reads confidently only when the image is wider than tall; probes agree."""

    name = "wide"

    def __init__(self) -> None:
        self.reads: list[tuple[int, int]] = []

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.reads.append(image.size)
        confidence = 0.98 if image.width > image.height else 0.4
        return [Word("reading", BBox(10, 10, 150, 30), confidence)]

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        if image.width > image.height:
            return [np.array([[10, 10], [300, 10], [300, 40], [10, 40]], dtype=float)]
        return [np.array([[10, 10], [40, 10], [40, 300], [10, 300]], dtype=float)]

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        half = len(crops) // 2
        return [("x", 0.9 if i < half else 0.3) for i in range(len(crops))]  # 90 beats 270


def _direct(engine: Engine, image: Image.Image, languages: Sequence[str]) -> list[Word]:
    return engine.recognise(image, languages=languages)


def test_upright_page_is_read_once_without_probing() -> None:
    engine = WideIsUpright()
    angle, image, words = reading.read_page(
        Image.new("RGB", (400, 200)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert (angle, image.size, engine.reads) == (0, (400, 200), [(400, 200)])
    assert words[0].confidence == 0.98


def test_turned_page_is_probed_turned_and_read_again() -> None:
    engine = WideIsUpright()
    angle, image, words = reading.read_page(
        Image.new("RGB", (200, 400)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert angle == 90
    assert image.size == (400, 200)
    assert engine.reads == [(200, 400), (400, 200)]
    assert words[0].confidence == 0.98


def test_orientation_off_reads_the_page_as_given() -> None:
    engine = WideIsUpright()
    angle, _, _ = reading.read_page(
        Image.new("RGB", (200, 400)), engine, (), detect_orientation=False, recognise=_direct
    )
    assert angle == 0
    assert engine.reads == [(200, 400)]


def test_auto_engine_refines_only_after_the_page_is_upright() -> None:
    fallback = FakeEngine(name="fallback")
    auto = AutoEngine(WideIsUpright(), fallback)
    angle, _, words = reading.read_page(
        Image.new("RGB", (200, 400)), auto, (), detect_orientation=True, recognise=_direct
    )
    assert angle == 90
    assert fallback.calls == []  # the upright reading was confident: nothing re-read
    assert [w.text for w in words] == ["reading"]


class NoiseEveryWay:
    """A page in a script this engine does not know: every turn reads as noise, and the
    probe's best turn (180) reads ``best`` surely; a script's pack reads it well."""

    name = "latin"
    box = BBox(10, 10, 150, 30)  # where its noise is read: a flat row
    line = np.array([[10, 10], [300, 10], [300, 40], [10, 40]], dtype=float)

    def __init__(self, best: float) -> None:
        self.best = best
        self.reads: list[tuple[int, int]] = []
        self.pack = FakeEngine(name="pack", words=[Word("ภาษาไทย", BBox(10, 10, 150, 30), 0.95)])
        self.detections = 0

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.reads.append(image.size)
        return [Word("~.;", self.box, 0.3)]

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        self.detections += 1
        return [self.line]

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        half = len(crops) // 2
        return [("x", 0.3 if i < half else self.best) for i in range(len(crops))]

    def reroute(
        self, image: Image.Image, words: Sequence[Word], languages: Sequence[str]
    ) -> tuple[Engine, tuple[str, ...]]:
        return self.pack, ("tha",)


def test_a_routed_page_is_not_read_turned_when_no_turn_reads_well() -> None:
    engine = NoiseEveryWay(best=0.4)
    angle, _, words = reading.read_page(
        Image.new("RGB", (400, 200)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert angle == 0 and [w.text for w in words] == ["ภาษาไทย"]
    assert engine.reads == [(400, 200)]  # the probe's best turn read as noise: not read again
    assert engine.detections == 0  # the pack's sure reading lent the probe its rows


def test_a_routed_page_is_read_turned_when_the_turn_reads_well() -> None:
    engine = NoiseEveryWay(best=0.95)
    angle, _, words = reading.read_page(
        Image.new("RGB", (400, 200)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert engine.reads == [(400, 200), (400, 200)]  # turned 180 and read in full...
    assert angle == 0 and [w.text for w in words] == ["ภาษาไทย"]  # ...and still noise


def test_a_routed_page_read_unsurely_has_its_lines_detected_afresh() -> None:
    engine = NoiseEveryWay(best=0.4)
    engine.pack = FakeEngine(name="pack", words=[Word("~ภ", BBox(10, 10, 150, 30), 0.5)])
    reading.read_page(
        Image.new("RGB", (400, 200)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert engine.detections == 1


class OnItsSide(WideIsUpright):
    """``WideIsUpright`` whose unsure reading of a tall page stands its words on end, as a
    page on its side reads, and which asks for a script route on every reading it doubts
    (as Latin on its side reads to other scripts' packs)."""

    def __init__(self) -> None:
        super().__init__()
        self.routes_asked: list[tuple[int, int]] = []
        self.pack = FakeEngine(name="pack", words=[Word("ภาษา", BBox(10, 10, 150, 30), 0.7)])

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.reads.append(image.size)
        if image.width > image.height:
            return [Word("reading", BBox(10, 10, 150, 30), 0.98)]
        return [Word("gnidaer", BBox(10, 10, 30, 150), 0.4)]

    def reroute(
        self, image: Image.Image, words: Sequence[Word], languages: Sequence[str]
    ) -> tuple[Engine, tuple[str, ...]] | None:
        self.routes_asked.append(image.size)
        doubtful = sum(w.confidence for w in words) / max(len(words), 1) < 0.85
        return (self.pack, ("tha",)) if doubtful else None


def test_a_page_on_its_side_is_turned_before_a_script_route_is_sought() -> None:
    engine = OnItsSide()
    angle, image, words = reading.read_page(
        Image.new("RGB", (200, 400)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert (angle, image.size) == (90, (400, 200))
    assert [w.text for w in words] == ["reading"]
    assert engine.routes_asked == [(400, 200)]  # only the upright page was routed
    assert engine.pack.calls == []  # and no other script's pack read it


class NoiseOnItsSide(NoiseEveryWay):
    """``NoiseEveryWay`` on its side: its lines run up the page, and it reads as noise in
    boxes standing on end whichever way it is turned."""

    box = BBox(10, 10, 30, 150)
    line = np.array([[10, 10], [40, 10], [40, 300], [10, 300]], dtype=float)


def test_a_page_on_its_side_that_reads_no_better_turned_is_routed_as_it_came() -> None:
    """A script the reader does not know reads as noise every way up: the quarter turn is
    read once, does not win, and the page goes to its script's pack as it came."""
    engine = NoiseOnItsSide(best=0.95)
    angle, _, words = reading.read_page(
        Image.new("RGB", (200, 400)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert angle == 0 and [w.text for w in words] == ["ภาษาไทย"]
    assert engine.reads[:2] == [(200, 400), (400, 200)]  # as it came, then a quarter turn
    assert engine.reads.count((400, 200)) == 1


class UpsideDown(OnItsSide):
    """A Latin page upside down (its marker, a dark top-left pixel, ends up bottom right
    when turned): unsure flat rows as it came, which its line probe reads best turned 180
    degrees, and a route to another script's pack for every reading it doubts."""

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        self.reads.append(image.size)
        if image.getpixel((0, 0)) == (0, 0, 0):
            return [Word("6uipeaɹ", BBox(10, 10, 150, 30), 0.5)]
        return [Word("reading", BBox(10, 10, 150, 30), 0.98)]

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        half = len(crops) // 2
        return [("x", 0.3 if i < half else 0.95) for i in range(len(crops))]  # 180 wins


def test_a_page_upside_down_is_routed_by_script_before_it_is_turned() -> None:
    """Upside down, a page's rows lie flat either way up, and a short line in a script the
    reader does not know can read to it as sure Latin turned over: the script route is
    sought first, and the turn still wins when it reads well (as before the quarter-turn
    rule; a Hebrew line came out as Latin when upside-down pages were turned first)."""
    engine = UpsideDown()
    page = Image.new("RGB", (400, 200), "white")
    page.putpixel((0, 0), (0, 0, 0))
    angle, image, words = reading.read_page(
        page, engine, (), detect_orientation=True, recognise=_direct
    )
    assert angle == 180 and image.getpixel((399, 199)) == (0, 0, 0)
    assert [w.text for w in words] == ["reading"]
    assert engine.routes_asked == [(400, 200), (400, 200)]  # as it came, then upright
    assert len(engine.pack.calls) == 1  # the script's pack read it as it came


class OnItsSideInShortWords(OnItsSide):
    """``OnItsSide`` whose unsure reading of the tall page is in boxes only a little taller
    than wide: standing on end by their letters, too square for the row probe to see a
    direction in, so only the detector's lines tell the turn."""

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        words = super().recognise(image, languages=languages)
        if image.width > image.height:
            return words
        return [Word("gni", BBox(10, 10, 40, 45), 0.4)]


def test_a_page_on_its_side_is_probed_by_its_detected_lines_not_its_words() -> None:
    engine = OnItsSideInShortWords()
    angle, image, words = reading.read_page(
        Image.new("RGB", (200, 400)), engine, (), detect_orientation=True, recognise=_direct
    )
    assert (angle, image.size, [w.text for w in words]) == (90, (400, 200), ["reading"])
