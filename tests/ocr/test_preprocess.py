"""Preprocessing: scale choice, background padding, and mapping boxes back to the page."""

from __future__ import annotations

import pytest
from PIL import Image

from masthead.ocr import preprocess
from masthead.ocr.document import BBox, Word
from masthead.ocr.options import DEFAULT_OPTIONS, WORK_PIXELS


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((189, 37), 2.0),
        ((800, 300), 1.25),
        ((2000, 2800), 1.0),
        ((8000, 6000), (WORK_PIXELS / 48_000_000) ** 0.5),
    ],
)
def test_choose_scale(size: tuple[int, int], expected: float) -> None:
    assert preprocess.choose_scale(size) == pytest.approx(expected)


def test_padding_uses_the_background_colour() -> None:
    image = Image.new("RGB", (1200, 400), (30, 40, 50))  # a dark-mode screenshot
    prepared = preprocess.prepare(image, DEFAULT_OPTIONS)
    assert prepared.pad >= preprocess.MIN_PAD
    assert prepared.image.getpixel((0, 0)) == (30, 40, 50)
    assert prepared.image.size == (1200 + 2 * prepared.pad, 400 + 2 * prepared.pad)


def test_boxes_map_back_through_scale_and_padding() -> None:
    prepared = preprocess.prepare(Image.new("L", (400, 100), 255), DEFAULT_OPTIONS)
    assert prepared.scale == 2.0 and prepared.page_size == (400, 100)
    pad = prepared.pad
    found = [Word("edge", BBox(pad, pad, pad + 40, pad + 20), 0.9)]
    assert prepared.to_page(found) == [Word("edge", BBox(0, 0, 20, 10), 0.9)]


def test_mapping_clips_to_the_page_and_drops_empty_words() -> None:
    prepared = preprocess.prepare(Image.new("RGB", (1200, 400), "white"), DEFAULT_OPTIONS)
    found = [
        Word("outside", BBox(0, 0, 5, 5), 0.9),  # wholly in the padding
        Word("  ", BBox(100, 100, 200, 200), 0.9),
        Word(" kept ", BBox(100, 100, 5000, 200), 0.9),
    ]
    mapped = prepared.to_page(found)
    assert [w.text for w in mapped] == ["kept"]
    assert mapped[0].bbox.x1 == 1200


def test_rotated_prepared_image_keeps_a_valid_mapping() -> None:
    prepared = preprocess.prepare(Image.new("RGB", (1600, 1000), "white"), DEFAULT_OPTIONS)
    turned = prepared.with_image(prepared.image.rotate(90, expand=True))
    assert turned.page_size == (1000, 1600)


def test_colour_modes_are_normalised() -> None:
    prepared = preprocess.prepare(Image.new("CMYK", (1200, 400)), DEFAULT_OPTIONS)
    assert prepared.image.mode == "RGB"
