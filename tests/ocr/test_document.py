"""The result tree: boxes, text, and the JSON round trip (a hypothesis property)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.ocr.document import (
    SCHEMA_VERSION,
    BBox,
    Block,
    Cell,
    Document,
    Field,
    Line,
    Page,
    Word,
    char_confidence,
)


def test_bbox_rejects_inverted_boxes() -> None:
    with pytest.raises(ValueError, match="inverted"):
        BBox(10, 0, 5, 5)


def test_bbox_geometry() -> None:
    box = BBox(10, 20, 40, 60)
    assert (box.width, box.height, box.area, box.center) == (30, 40, 1200, (25.0, 40.0))
    assert BBox.enclosing([box, BBox(0, 50, 15, 90)]) == BBox(0, 20, 40, 90)
    assert box.shifted(-10, -20) == BBox(0, 0, 30, 40)
    assert box.scaled(0.5) == BBox(5, 10, 20, 30)
    assert box.clipped(30, 30) == BBox(10, 20, 30, 30)
    assert BBox(50, 50, 60, 60).clipped(30, 30) == BBox(30, 30, 30, 30)


def test_enclosing_needs_a_box() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BBox.enclosing([])


def test_text_joins_words_lines_blocks_and_pages() -> None:
    hello = Line.from_words(
        [Word("Hello", BBox(0, 0, 50, 10), 0.9), Word("world", BBox(60, 0, 110, 10), 0.8)]
    )
    second = Line.from_words([Word("Bye", BBox(0, 20, 30, 30), 0.7)])
    page = Page(1, 200, 100, 300, (Block((hello,), hello.bbox), Block((second,), second.bbox)))
    doc = Document((page, Page(2, 10, 10, 300)))
    assert hello.bbox == BBox(0, 0, 110, 10)
    assert page.text == "Hello world\n\nBye"
    assert doc.text == "Hello world\n\nBye"
    assert [w.text for w in doc.words] == ["Hello", "world", "Bye"]


def test_table_text_is_tab_separated_rows() -> None:
    def cell(text: str, x: int) -> Cell:
        box = BBox(x, 0, x + 10, 10)
        return Cell((Line.from_words([Word(text, box, 1.0)]),), box)

    rows = ((cell("Item", 0), cell("Price", 20)), (cell("Tea", 0), cell("2.50", 20)))
    lines = tuple(line for r in rows for c in r for line in c.lines)
    block = Block(lines, BBox(0, 0, 30, 10), "table", rows)
    assert block.text == "Item\tPrice\nTea\t2.50"


def test_invalid_kinds_and_angles_are_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        Block((), BBox(0, 0, 1, 1), "poem")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="angle"):
        Page(1, 10, 10, 300, angle=45)
    with pytest.raises(ValueError, match="source"):
        Page(1, 10, 10, 300, source="camera")  # type: ignore[arg-type]


def test_from_dict_refuses_another_major_version() -> None:
    data = Document(()).to_dict()
    data["schema_version"] = "2.0"
    with pytest.raises(ValueError, match="schema_version"):
        Document.from_dict(data)
    data["schema_version"] = SCHEMA_VERSION.split(".")[0] + ".99"
    assert Document.from_dict(data) == Document(())


# --- property: any document survives to_dict -> JSON -> from_dict unchanged ---------------

_coord = st.integers(min_value=0, max_value=5000)


@st.composite
def boxes(draw: st.DrawFn) -> BBox:
    x0, y0 = draw(_coord), draw(_coord)
    return BBox(x0, y0, x0 + draw(st.integers(0, 500)), y0 + draw(st.integers(0, 500)))


_text = st.text(min_size=1, max_size=12)
_words = st.builds(Word, _text, boxes(), st.floats(0, 1, allow_nan=False))
_lines = st.builds(Line, st.lists(_words, max_size=4).map(tuple), boxes())
_cells = st.builds(Cell, st.lists(_lines, max_size=2).map(tuple), boxes())


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(["paragraph", "heading", "list", "table"]))
    rows = (
        draw(st.lists(st.lists(_cells, min_size=1, max_size=3).map(tuple), max_size=3))
        if kind == "table"
        else []
    )
    lines = tuple(draw(st.lists(_lines, max_size=3)))
    return Block(lines, draw(boxes()), kind, tuple(rows), draw(st.integers(0, 6)))  # type: ignore[arg-type]


_pages = st.builds(
    Page,
    st.integers(1, 500),
    st.integers(1, 20000),
    st.integers(1, 20000),
    st.integers(36, 1200),
    st.lists(blocks(), max_size=3).map(tuple),
    st.sampled_from([0, 90, 180, 270]),
    st.sampled_from(["", "eng", "deu"]),
    st.sampled_from(["", "Latn", "Hani"]),
    st.sampled_from(["", "rapid", "tesseract"]),
    st.sampled_from(["ocr", "text-layer"]),
)
_fields = st.builds(
    Field,
    st.sampled_from(["email", "url", "phone", "date", "amount", "key_value"]),
    _text,
    _text,
    boxes(),
    st.integers(1, 500),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None)
@given(
    st.builds(
        Document, st.lists(_pages, max_size=3).map(tuple), st.lists(_fields, max_size=3).map(tuple)
    )
)
def test_json_round_trip(doc: Document) -> None:
    assert Document.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


def test_char_confidence_weighs_each_word_by_its_characters() -> None:
    box = BBox(0, 0, 10, 10)
    words = [Word("Masthead", box, 0.9), Word("~", box, 0.1)]
    assert char_confidence(words) == pytest.approx((0.9 * 8 + 0.1) / 9)
    assert char_confidence([]) == 0.0
