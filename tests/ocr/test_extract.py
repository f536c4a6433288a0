"""Field extraction: precise patterns, normalised values, boxes from the words matched."""

from __future__ import annotations

import pytest

from masthead.ocr.document import BBox, Block, Line, Page
from masthead.ocr.extract import find_fields, find_in_line
from tests.ocr.drawing import row


def fields(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.value) for f in find_in_line(Line.from_words(row(text)), 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to Jane.Doe@Example.COM today", [("email", "jane.doe@example.com")]),
        ("first.last+tag@sub.example.co.uk,", [("email", "first.last+tag@sub.example.co.uk")]),
        ("not an email: a@b or @example.com or x@y.", []),
        ("user@localhost is local", []),
    ],
)
def test_emails(text: str, expected: list[tuple[str, str]]) -> None:
    assert [f for f in fields(text) if f[0] == "email"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See https://example.org/a_(b)/c?q=1.", ["https://example.org/a_(b)/c?q=1"]),
        ("(visit www.masthead.test)", ["https://www.masthead.test"]),
        ("HTTP://EXAMPLE.COM/Path,", ["HTTP://EXAMPLE.COM/Path"]),
        ("not_a_url and file.txt and example.com", []),
        ("mail me at me@www.example.com", []),
    ],
)
def test_urls(text: str, expected: list[str]) -> None:
    assert [v for k, v in fields(text) if k == "url"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call +44 20 7946 0958 now", ["+442079460958"]),
        ("Tel: 03-1234 5678", ["0312345678"]),
        ("(555) 123-4567", ["5551234567"]),
        ("Phone 555.123.4567", ["5551234567"]),
        ("Invoice 123456789", []),
        ("Total 1,234.50", []),
        ("8970669 1 X 19.00 19.00", []),
        ("SR 6.00 52.00 3.12", []),
        ("GST ID: 0013 7941 8112", []),
        ("Ref 001-2016-07-31 13", []),
        ("Tel: 0013 7941 8112", ["001379418112"]),
        ("Version 1.2.3 build 20240301", []),
        ("Date 2024-03-01", []),
    ],
)
def test_phones(text: str, expected: list[str]) -> None:
    assert [v for k, v in fields(text) if k == "phone"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Issued 2024-03-01", ["2024-03-01"]),
        ("31/12/2023 and 12/31/2023", ["2023-12-31", "2023-12-31"]),
        ("05.03.24", ["2024-03-05"]),
        ("5 March 2024; March 5th, 2024; 1 Sept. 2023", ["2024-03-05", "2024-03-05", "2023-09-01"]),
        ("31/02/2024 and 2024-13-01", []),
        ("Version 1.2.3 and 10:30", []),
    ],
)
def test_dates(text: str, expected: list[str]) -> None:
    assert [v for k, v in fields(text) if k == "date"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Total $12.50", ["12.50 USD"]),
        ("€1.234,56 and 1 234,56 EUR", ["1234.56 EUR", "1234.56 EUR"]),
        ("RM 45.90 cash", ["45.90 MYR"]),
        ("GBP 1,000 or £7", ["1000.00 GBP", "7.00 GBP"]),
        ("12.50 with no currency and US$ sign-less USDA", []),
        ("Refund -$3.10", ["-3.10 USD"]),
    ],
)
def test_amounts(text: str, expected: list[str]) -> None:
    assert [v for k, v in fields(text) if k == "amount"] == expected


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("TOTAL 12.50", "total", "12.50"),
        ("Total: $12.50", "total", "$12.50"),
        ("Sub Total RM 45.90", "sub total", "RM 45.90"),
        ("Invoice No: INV-0042", "invoice no", "INV-0042"),
        ("GST 6% 2.70", "gst", "2.70"),
    ],
)
def test_key_value_pairs(text: str, key: str, value: str) -> None:
    found = [f for f in find_in_line(Line.from_words(row(text)), 1) if f.kind == "key_value"]
    assert [(f.key, f.value) for f in found] == [(key, value)]


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        (
            "Doc No : CS00012664 Date: 11/01/2018",
            [("doc no", "CS00012664"), ("date", "11/01/2018")],
        ),
        ("Cashier : USER Time: 11:42:00", [("cashier", "USER"), ("time", "11:42:00")]),
        # a value of several words keeps its colons; so does a lower-case word
        ("Note: Please read: the terms", [("note", "Please read: the terms")]),
        ("Ref: A12 see: below", [("ref", "A12 see: below")]),
    ],
)
def test_several_pairs_on_a_line(text: str, pairs: list[tuple[str, str]]) -> None:
    found = [f for f in find_in_line(Line.from_words(row(text)), 1) if f.kind == "key_value"]
    assert [(f.key, f.value) for f in found] == pairs


@pytest.mark.parametrize(
    ("left", "right", "pairs"),
    [
        # a label in a column of its own starts a pair: the column before is not its key
        ("COUNTER 3", "CASHIER: 1", [("cashier", "1")]),
        ("Doc No CS00010930", "Date: 17/03/2018", [("date", "17/03/2018")]),
        # a value in a column of its own stays with its label
        ("Date:", "12/01/2018", [("date", "12/01/2018")]),
        ("Cash", "20.20", [("cash", "20.20")]),
    ],
)
def test_a_line_printed_in_columns(left: str, right: str, pairs: list[tuple[str, str]]) -> None:
    words = row(left, x=10) + row(right, x=600)  # a blank of 10 line heights and more
    found = [f for f in find_in_line(Line.from_words(words), 1) if f.kind == "key_value"]
    assert [(f.key, f.value) for f in found] == pairs


def test_no_key_value_in_prose_or_urls() -> None:
    assert fields("The total was higher than expected") == []
    assert [k for k, _ in fields("https://example.org:8080/x")] == ["url"]


def test_field_boxes_cover_the_matched_words_and_pages_are_kept() -> None:
    words = row("Contact hello@example.com today", y=50)
    line = Line.from_words(words)
    page = Page(3, 2000, 200, 300, (Block((line,), line.bbox),))
    (email,) = find_fields([page])
    assert email.page == 3 and email.text == "hello@example.com"
    assert email.bbox == words[1].bbox
    assert email.bbox == BBox(words[1].bbox.x0, 50, words[1].bbox.x1, 80)
