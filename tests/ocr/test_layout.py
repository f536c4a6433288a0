"""Reading order from word boxes alone: columns, headings, tables, skew.

Pages are built from synthetic word boxes (10 px per character, 20 px tall text), so
each test states the geometry it exercises.
"""

from __future__ import annotations

import math
import random

from masthead.ocr import layout
from masthead.ocr.document import BBox, Block, Line, Word

CHAR = 10
HEIGHT = 20
PITCH = 30  # baseline to baseline


def words_at(text: str, x: int, y: int, *, char: int = CHAR, height: int = HEIGHT) -> list[Word]:
    """One line of ``text`` starting at (x, y): one box per word, one space between words."""
    out: list[Word] = []
    for token in text.split():
        width = len(token) * char
        out.append(Word(token, BBox(x, y, x + width, y + height), 0.99))
        x += width + char
    return out


def column(lines: list[str], x: int, y: int, **kw: int) -> list[Word]:
    pitch = kw.pop("pitch", PITCH)
    return [w for i, line in enumerate(lines) for w in words_at(line, x, y + i * pitch, **kw)]


def text_of(blocks: tuple[Block, ...]) -> str:
    return " ".join(" ".join(line.text for line in b.lines) for b in blocks)


def prose(prefix: str, n: int) -> list[str]:
    """``n`` lines of 5 words each, every word tagged with ``prefix`` and its line number."""
    return [" ".join(f"{prefix}{i}w{k}" for k in range(5)) for i in range(n)]


LEFT = prose("a", 8)  # 5 words x 5 chars -> 290 px wide
RIGHT = prose("b", 8)


def test_arrange_reads_two_columns_after_full_width_title() -> None:
    title = words_at("A title that spans both of the columns below", 40, 20, height=32)
    page = title + column(LEFT, 40, 100) + column(RIGHT, 400, 100)
    random.Random(1).shuffle(page)
    blocks = layout.arrange(page, (800, 500))
    expected = "A title that spans both of the columns below " + " ".join(LEFT + RIGHT)
    assert text_of(blocks) == expected
    assert blocks[0].kind == "heading"
    assert blocks[0].level >= 1


def test_arrange_reads_three_columns_with_headings_and_centred_subtitle() -> None:
    cols = [prose(p, 6) for p in "abc"]
    page = words_at("Newsletter of the month for everyone", 200, 10, height=40)
    page += words_at("Issue nine", 480, 70)  # centred, inside the middle column's span
    for k, x in enumerate((40, 400, 760)):
        page += words_at(f"Head{k} words", x, 130, height=28)
        page += column(cols[k], x, 180)
    blocks = layout.arrange(page, (1100, 400))
    expected = ["Newsletter of the month for everyone", "Issue nine"]
    for k in range(3):
        expected += [f"Head{k} words", *cols[k]]
    assert text_of(blocks) == " ".join(expected)
    headings = [b.lines[0].text for b in blocks if b.kind == "heading"]
    assert headings[0] == "Newsletter of the month for everyone"
    assert {"Head0 words", "Head1 words", "Head2 words"} <= set(headings)


def test_arrange_puts_full_width_paragraph_after_unbalanced_columns() -> None:
    left, right = prose("a", 9), prose("b", 5)  # right column stops early
    bottom = ["Closing paragraph that runs across the whole page width here",
              "and a second full width line to finish the page off"]  # fmt: skip
    page = column(left, 40, 40) + column(right, 400, 40) + column(bottom, 40, 340)
    blocks = layout.arrange(page, (800, 420))
    assert text_of(blocks) == " ".join(left + right + bottom)


def test_arrange_joins_column_that_starts_lower_than_its_neighbour() -> None:
    left, right = prose("a", 8), prose("b", 5)
    page = column(left, 40, 40) + column(right, 400, 40 + 3 * PITCH)
    assert text_of(layout.arrange(page, (800, 400))) == " ".join(left + right)


def test_arrange_detects_table_rows_and_cells_with_ragged_widths() -> None:
    rows = [("Term", "Clause", "Status"), ("Subdividing", "10.2", "open"),
            ("Rights", "14.8", "closed"), ("Place", "6.5", "draft"),
            ("Following", "5.7", "pending")]  # fmt: skip
    page = words_at("Intro line of text that is wide and full", 40, 10)
    for i, (a, b, c) in enumerate(rows):
        y = 60 + i * PITCH
        page += words_at(a, 40, y)
        page += words_at(b, 400 - len(b) * CHAR, y)  # right-aligned numbers
        page += words_at(c, 500, y)
    blocks = layout.arrange(page, (700, 250))
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1
    table = tables[0]
    assert [tuple(cell.text for cell in row) for row in table.rows] == rows
    assert [line.text for line in table.lines] == [" ".join(r) for r in rows]
    assert blocks[0].lines[0].text == "Intro line of text that is wide and full"


def test_arrange_reads_label_value_rows_row_by_row() -> None:
    pairs = [("TOTAL", "60.31"), ("ROUNDING ADJ", "-0.01"), ("CASH", "70.30"), ("CHANGE", "10.00")]
    page: list[Word] = []
    for i, (label, value) in enumerate(pairs):
        page += words_at(label, 20, 20 + i * PITCH) + words_at(value, 300, 20 + i * PITCH)
    blocks = layout.arrange(page, (400, 200))
    assert text_of(blocks) == " ".join(f"{a} {b}" for a, b in pairs)


def skewed(words: list[Word], degrees: float) -> list[Word]:
    """The same words with box centres rotated about the origin (boxes grow accordingly)."""
    angle = math.radians(degrees)
    out: list[Word] = []
    for w in words:
        cx, cy = w.bbox.center
        x, y = (
            cx * math.cos(angle) - cy * math.sin(angle),
            cx * math.sin(angle) + cy * math.cos(angle),
        )
        dx = (w.bbox.width * math.cos(angle) + w.bbox.height * abs(math.sin(angle))) / 2
        dy = (w.bbox.height * math.cos(angle) + w.bbox.width * abs(math.sin(angle))) / 2
        box = BBox(round(x - dx), round(y - dy) + 60, round(x + dx), round(y + dy) + 60)
        out.append(Word(w.text, box, w.confidence))
    return out


def test_arrange_keeps_lines_and_columns_on_a_skewed_scan() -> None:
    title = words_at("A heading that runs right across the page top", 40, 20)
    page = title + column(LEFT, 40, 80) + column(RIGHT, 400, 80)
    blocks = layout.arrange(skewed(page, 2.5), (900, 600))
    lines = [line.text for b in blocks for line in b.lines]
    assert lines[1:] == LEFT + RIGHT
    assert math.degrees(layout.skew_angle(skewed(page, 2.5))) > 2.0


def test_arrange_returns_every_word_exactly_once() -> None:
    rng = random.Random(7)
    page = [
        Word(f"w{i}", BBox(x, y, x + rng.randint(5, 80), y + rng.randint(8, 30)), 0.5)
        for i, (x, y) in enumerate((rng.randint(0, 900), rng.randint(0, 900)) for _ in range(300))
    ]
    blocks = layout.arrange(page, (1000, 1000))
    seen = [w.text for b in blocks for line in b.lines for w in line.words]
    assert sorted(seen) == sorted(w.text for w in page)


def test_arrange_of_no_words_is_empty() -> None:
    assert layout.arrange([], (100, 100)) == ()
    assert layout.arrange([Word("  ", BBox(0, 0, 5, 5), 1.0)], (100, 100)) == ()


def test_arrange_splits_paragraphs_at_a_blank_line() -> None:
    first, second = prose("p", 3), prose("q", 3)
    page = column(first, 40, 40) + column(second, 40, 40 + 4 * PITCH + 10)
    blocks = layout.arrange(page, (400, 300))
    assert [len(b.lines) for b in blocks] == [3, 3]
    assert all(b.kind == "paragraph" for b in blocks)


def test_arrange_joins_touching_glyphs_but_not_spaced_letters() -> None:
    glyphs = [
        Word(ch, BBox(100 + 12 * i, 50, 112 + 12 * i, 70), 0.9) for i, ch in enumerate("14/01")
    ]
    spaced = words_at("5 X 2.50 A B C", 100, 100)  # real spaces between one-letter words
    blocks = layout.arrange(glyphs + spaced, (400, 200))
    assert [line.text for b in blocks for line in b.lines] == ["14/01", "5 X 2.50 A B C"]
    joined = blocks[0].lines[0].words[0]
    assert joined.bbox == BBox(100, 50, 160, 70)


# Reading order from evidence (ADR 0043): blocks, columns and tables only where the
# geometry shows them; any other page is read as plain visual rows.

RECEIPT = [
    ("KEDAI RUNCIT MAJU", None),
    ("NO 12 JALAN PASAR", None),
    ("TEL 03-1234 5678", None),
    ("ITEM SUGAR 1KG", "3.20"),
    ("ITEM RICE 5KG", "18.50"),
    ("SUBTOTAL", "21.70"),
    ("TOTAL", "21.70"),
    ("CASH", "50.00"),
    ("CHANGE", "28.30"),
    ("THANK YOU", None),
]


def receipt_page(x: int = 20, y: int = 20) -> list[Word]:
    """A narrow single-column receipt: centred header lines, labels with amounts."""
    page: list[Word] = []
    for i, (label, amount) in enumerate(RECEIPT):
        top = y + i * PITCH
        if amount is None:
            page += words_at(label, x + (300 - len(label) * CHAR) // 2, top)
        else:
            page += words_at(label, x, top) + words_at(amount, x + 300 - len(amount) * CHAR, top)
    return page


RECEIPT_TEXT = [label if amount is None else f"{label} {amount}" for label, amount in RECEIPT]


def lines_in(blocks: tuple[Block, ...]) -> list[Line]:
    return [line for b in blocks for line in b.lines]


def lines_of(blocks: tuple[Block, ...]) -> list[str]:
    return [line.text for line in lines_in(blocks)]


def test_evidence_of_a_narrow_receipt_is_rows_and_it_reads_line_by_line() -> None:
    page = receipt_page()
    random.Random(3).shuffle(page)
    assert layout.evidence(page, (360, 360)) == "rows"
    blocks = layout.arrange(page, (360, 360))
    assert lines_of(blocks) == RECEIPT_TEXT
    assert all(b.kind != "table" for b in blocks)


def test_evidence_of_prose_columns_and_of_a_table() -> None:
    columns = column(LEFT, 40, 40) + column(RIGHT, 400, 40)
    assert layout.evidence(columns, (800, 400)) == "columns"
    grid: list[Word] = []
    for i, (a, b, c) in enumerate([("Name", "Qty", "Price"), ("Tea", "2", "3.50"),
                                   ("Coffee", "10", "12.00"), ("Sugar", "1", "0.90")]):  # fmt: skip
        y = 40 + i * PITCH
        grid += words_at(a, 40, y) + words_at(b, 380 - len(b) * CHAR, y)
        grid += words_at(c, 560 - len(c) * CHAR, y)
    assert layout.evidence(grid, (600, 200)) == "table"
    assert [b.kind for b in layout.arrange(grid, (600, 200))] == ["table"]
    # The same grid under the columns, after a full-width line that ends them.
    rule = words_at("A full width line that ends the two columns above it here", 40, 320)
    both = columns + rule + [Word(w.text, w.bbox.shifted(0, 360), w.confidence) for w in grid]
    assert layout.evidence(both, (800, 700)) == "columns+table"


def test_a_receipt_printed_in_two_halves_reads_row_by_row() -> None:
    # Short label-and-value lines side by side fill their narrow halves like two columns
    # of prose would; read column by column, each label would leave the row it belongs to.
    left = ["Cashier : Ali", "Counter : 03", "Bill No : 1234", "Member : Yes", "Pax No : 2"]
    right = ["Date : 12/03/18", "Time : 10:30", "Table No : 12", "Server : Mei", "Shift : A"]
    page = column(left, 20, 20) + column(right, 200, 20)
    assert layout.evidence(page, (360, 180)) == "rows"
    expected = [f"{a} {b}" for a, b in zip(left, right, strict=True)]
    assert lines_of(layout.arrange(page, (360, 180))) == expected
    # Prose columns of the same width still read column by column.
    wide = column(prose("a", 5), 20, 20) + column(prose("b", 5), 330, 20)
    assert layout.evidence(wide, (640, 180)) == "columns"


def test_cells_that_line_up_with_nothing_are_not_a_table() -> None:
    # Three runs per row with wide gaps (so gutters exist), but each run starts, ends and
    # centres somewhere else on every row: no column of cells shares an edge.
    page: list[Word] = []
    for i, (a, b) in enumerate([(150, 330), (200, 420), (120, 380), (250, 460), (170, 300)]):
        y = 20 + i * PITCH
        page += words_at("x" * (a // CHAR - 4), 20, y)
        page += words_at("y" * (3 + i), a + 30, y)
        page += words_at("z" * (2 + 2 * i), max(b, a + 30 + (3 + i) * CHAR + 30), y)
    assert layout.evidence(page, (700, 200)) == "rows"
    blocks = layout.arrange(page, (700, 200))
    assert [len(line.words) for line in lines_in(blocks)] == [3, 3, 3, 3, 3]
    assert all(b.kind != "table" for b in blocks)


def test_a_receipt_skewed_by_three_degrees_still_reads_line_by_line() -> None:
    page = skewed(receipt_page(), 3.0)
    blocks = layout.arrange(page, (400, 420))
    assert lines_of(blocks) == RECEIPT_TEXT


def test_a_stamp_between_two_lines_does_not_join_them() -> None:
    page = words_at("TOTAL", 20, 20) + words_at("RM4.00", 240, 20)
    page += words_at("PAID", 20, 50) + words_at("RM4.00", 240, 50)
    # A rubber-stamped figure, twice the text height, overlapping both printed lines by
    # more than half a line: it joins the line nearest its middle, and the printed lines
    # stay apart.
    page.append(Word("4.00", BBox(110, 22, 190, 62), 0.9))
    blocks = layout.arrange(page, (400, 120))
    assert lines_of(blocks) == ["TOTAL 4.00 RM4.00", "PAID RM4.00"]


def test_visual_rows_return_every_word_in_rows() -> None:
    page = receipt_page()
    rows = layout.visual_rows(page, (360, 360))
    assert [" ".join(w.text for w in row) for row in rows] == RECEIPT_TEXT
    assert layout.visual_rows([], (10, 10)) == []
