"""A hand-built document with every block kind, shared by the exporter tests."""

from __future__ import annotations

from masthead.ocr.document import BBox, Block, Cell, Document, Field, Line, Page, Word
from tests.ocr.drawing import row


def line(text: str, y: int, x: int = 100) -> Line:
    return Line.from_words(row(text, x=x, y=y, char=20, height=30))


def block(kind: str, *lines: Line, level: int = 0) -> Block:
    return Block(tuple(lines), BBox.enclosing(x.bbox for x in lines), kind, level=level)  # type: ignore[arg-type]


def table() -> Block:
    texts = [["Item", "Price"], ["Tea | green", "2.50"], ["Cake", "4.00"]]
    rows = []
    for r, values in enumerate(texts):
        y = 700 + 50 * r
        cells = []
        for c, value in enumerate(values):
            cell_line = line(value, y, x=100 + 400 * c)
            cells.append(Cell((cell_line,), cell_line.bbox))
        rows.append(tuple(cells))
    lines = tuple(x for r in rows for cell in r for x in cell.lines)
    return Block(lines, BBox.enclosing(x.bbox for x in lines), "table", tuple(rows))


def document() -> Document:
    blocks = (
        block("heading", line("Weekly *digest*", 100), level=1),
        block(
            "paragraph", line("Masthead reads <text> & more.", 200), line("# not a heading", 250)
        ),
        block("list", line("• first item", 350), line("2) second item", 400)),
        table(),
    )
    page = Page(1, 2480, 3508, 300, blocks, language="eng", script="Latn", engine="rapid")
    second = Page(2, 2480, 3508, 300, (block("paragraph", line("Page two", 100)),))
    field = Field("amount", "2.50 USD", "2.50", BBox(500, 750, 580, 780), 1)
    return Document((page, second), (field,))


WORD = Word("x", BBox(0, 0, 1, 1), 1.0)
