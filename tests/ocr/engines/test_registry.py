"""The engine registry, the line splitter, and the fake engine."""

from __future__ import annotations

import itertools

import pytest
from PIL import Image

from masthead.ocr import engines
from masthead.ocr.document import BBox, Word
from masthead.ocr.engines.base import Engine, split_line
from masthead.ocr.engines.fake import FakeEngine
from masthead.ocr.errors import EngineUnavailableError


def test_get_returns_one_instance_per_process() -> None:
    assert engines.get("fake") is engines.get("fake")
    assert isinstance(engines.get("fake"), Engine)


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(EngineUnavailableError) as info:
        engines.get("easyocr")
    assert info.value.code == "engine_unavailable"
    assert "rapid" in info.value.message and "tesseract" in info.value.message


def test_split_line_keeps_words_in_order_inside_the_line() -> None:
    words = split_line("Total  12.50 EUR", BBox(100, 10, 260, 30), 0.8)
    assert [w.text for w in words] == ["Total", "12.50", "EUR"]
    assert words[0].bbox.x0 == 100 and words[-1].bbox.x1 == 260
    assert all(a.bbox.x1 <= b.bbox.x0 for a, b in itertools.pairwise(words))
    assert all(w.bbox.y0 == 10 and w.bbox.y1 == 30 and w.confidence == 0.8 for w in words)
    # "Total 12.50 EUR" is 15 characters over 160 px; "12.50" starts after 6 of them
    assert words[1].bbox.x0 == 100 + round(6 * 160 / 15)


def test_split_line_of_blank_text_or_zero_width() -> None:
    assert split_line("   ", BBox(0, 0, 10, 10), 1.0) == []
    assert [w.bbox.width for w in split_line("a b", BBox(5, 0, 5, 10), 1.0)] == [0, 0]


def test_fake_engine_records_calls_and_can_be_scripted() -> None:
    word = Word("hi", BBox(0, 0, 5, 5), 1.0)
    fake = FakeEngine([word])
    assert fake.recognise(Image.new("L", (20, 10)), languages=["eng"]) == [word]
    assert fake.calls == [((20, 10), ("eng",))]
    sized = FakeEngine(script=lambda image: [Word(str(image.width), BBox(0, 0, 1, 1), 1.0)])
    assert sized.recognise(Image.new("L", (33, 10)), languages=()) == [
        Word("33", BBox(0, 0, 1, 1), 1.0)
    ]
