"""Page orientation: real RapidOCR on a drawn page, turned each way; fakes for the rules."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from PIL import Image

from masthead.ocr import engines, orientation, pipeline
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.fake import FakeEngine
from tests.ocr.drawing import encode, text_image

LINES = [
    "Orientation is decided once for the whole page",
    "by reading a few of the longest lines both ways,",
    "never line by line, so long lines stay upright.",
]


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return text_image(LINES, size=(1100, 320), font_size=30)


@pytest.fixture(scope="module")
def rapid() -> engines.Engine:
    return engines.get("rapid")


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_detect_undoes_a_page_turned_counter_clockwise(
    page: Image.Image, rapid: engines.Engine, turn: int
) -> None:
    turned = page.rotate(turn, expand=True)  # PIL turns counter-clockwise
    angle = orientation.detect(turned, rapid)
    assert angle == turn
    assert orientation.rotate(turned, angle).size == page.size


def test_rotate_turns_clockwise_and_rejects_odd_angles() -> None:
    image = Image.new("L", (4, 2), 0)
    image.putpixel((0, 0), 255)  # top-left marker
    turned = orientation.rotate(image, 90)
    assert turned.size == (2, 4)
    assert turned.getpixel((1, 0)) == 255  # clockwise: top-left goes to top-right
    assert orientation.rotate(image, 0) is image
    with pytest.raises(ValueError, match="angle"):
        orientation.rotate(image, 45)


def test_is_vertical_votes_by_line_length() -> None:
    flat = np.array([[0, 0], [300, 0], [300, 30], [0, 30]], dtype=float)
    tall = np.array([[0, 0], [30, 0], [30, 100], [0, 100]], dtype=float)
    assert not orientation.is_vertical([flat, tall])  # one long flat line outweighs
    assert orientation.is_vertical([tall, tall, tall, tall])


class _Probe:
    """A line probe whose recogniser is only confident about one crop orientation."""

    name = "probe"

    def __init__(self, boxes: list[np.ndarray], good_turn: int) -> None:
        self.boxes, self.good_turn, self.crops_seen = boxes, good_turn, 0

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        return self.boxes

    def read_lines(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        self.crops_seen += len(crops)
        half = len(crops) // 2
        first_good = self.good_turn in (0, 90)
        return [("text", 0.95 if (i < half) == first_good else 0.4) for i in range(len(crops))]

    def recognise(self, image: Image.Image, *, languages: Sequence[str]) -> list[Word]:
        raise AssertionError("the fast path must not read the whole page")


@pytest.mark.parametrize("good", [0, 90, 180, 270])
def test_detect_picks_the_direction_the_recogniser_trusts(good: int) -> None:
    if good in (0, 180):
        box = np.array([[10, 10], [400, 10], [400, 40], [10, 40]], dtype=float)
    else:
        box = np.array([[10, 10], [40, 10], [40, 400], [10, 400]], dtype=float)
    probe = _Probe([box] * 3, good)
    assert orientation.detect(Image.new("RGB", (500, 500), "white"), probe) == good
    assert probe.crops_seen == 6  # three crops, read both ways, in one call
    angle, sure = orientation.probe(Image.new("RGB", (500, 500), "white"), probe)
    assert angle == good and sure == pytest.approx(0.95)  # how well the winning turn reads


class _NoDetector(_Probe):
    """A probe whose detector must not be asked: the page's rows come from a reading."""

    def __init__(self, good_turn: int) -> None:
        super().__init__([], good_turn)
        self.detections = 0
        self.widths: list[int] = []

    def read_lines(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        self.widths += [crop.shape[1] for crop in crops]
        return super().read_lines(crops)

    def detect_lines(self, image: Image.Image) -> list[np.ndarray]:
        self.detections += 1
        return [np.array([[10, 10], [40, 10], [40, 400], [10, 400]], dtype=float)]


@pytest.mark.parametrize("good", [0, 180])
def test_probe_reuses_the_rows_of_a_flat_reading(good: int) -> None:
    image = Image.new("RGB", (2000, 1000), "white")
    words = [
        Word("two", BBox(100, 100, 300, 140), 0.9),
        Word("words", BBox(320, 102, 600, 142), 0.9),
        Word("below", BBox(100, 300, 500, 340), 0.9),
    ]
    probe = _NoDetector(good)
    angle, sure = orientation.probe(image, probe, words)
    assert angle == good and sure == pytest.approx(0.95)
    assert probe.detections == 0
    # two rows (the first of two words), each read both ways, cut from the 1280 px copy:
    # 500 and 400 px of row at 0.64 scale
    assert sorted(probe.widths) == [256, 256, 320, 320]


def test_probe_detects_afresh_when_the_reading_stands_on_end() -> None:
    image = Image.new("RGB", (1000, 2000), "white")
    words = [
        Word("tall", BBox(100, 100, 140, 600), 0.9),
        Word("too", BBox(200, 100, 240, 500), 0.9),
    ]
    probe = _NoDetector(90)
    assert orientation.probe(image, probe, words)[0] == 90  # a quarter turn: flat rows can't tell
    assert probe.detections == 1


def test_detect_without_text_is_upright() -> None:
    probe = _Probe([], 0)
    assert orientation.detect(Image.new("RGB", (50, 50), "white"), probe) == 0
    assert orientation.probe(Image.new("RGB", (50, 50), "white"), probe) == (0, 0.0)


def test_detect_tolerates_an_engine_that_ignores_the_image() -> None:
    same = FakeEngine([Word("same", BBox(0, 0, 40, 10), 0.9)])
    assert orientation.detect(Image.new("RGB", (60, 30), "white"), same) == 0
    assert len(same.calls) == 4  # the slow path read all four orientations


def test_suspect_flags_low_confidence_or_tall_text_only() -> None:
    flat = [Word("upright", BBox(0, 0, 140, 20), 0.98), Word("words", BBox(150, 0, 250, 20), 0.97)]
    assert not orientation.suspect(flat)
    unsure = [Word(w.text, w.bbox, 0.6) for w in flat]
    assert orientation.suspect(unsure)
    tall = [Word("sideways", BBox(0, 0, 20, 160), 0.99)]
    assert orientation.suspect(tall)
    assert not orientation.suspect([Word("OK", BBox(0, 0, 30, 20), 0.99)])  # a short label
    # A turned line that fell apart into unsure fragments is worth a look.
    assert orientation.suspect(
        [Word("u·", BBox(0, 0, 20, 20), 0.4), Word("n", BBox(30, 0, 40, 20), 0.5)]
    )
    assert orientation.suspect([])  # nothing read at all: worth a look


def test_is_vertical_ignores_corner_order_of_tilted_boxes() -> None:
    # a tall, slightly tilted line whose corners start at the bottom-left
    starts_low = np.array([[761, 817], [792, 149], [818, 151], [787, 818]], dtype=float)
    assert orientation.is_vertical([starts_low] * 3)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_one_line_snippet_is_read_in_any_orientation(turn: int) -> None:
    snippet = text_image(["www.example.org"], size=(260, 34), font_size=22, origin=(6, 4))
    data = encode(snippet.rotate(turn, expand=True), "PNG")
    page = pipeline.run(data).pages[0]
    assert page.angle == turn  # PIL turns counter-clockwise; the page is turned back clockwise
    assert [w.text for b in page.blocks for line in b.lines for w in line.words] == [
        "www.example.org"
    ]
