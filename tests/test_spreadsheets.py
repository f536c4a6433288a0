"""CSV exports never hand a spreadsheet a formula (issue 10, finding 7; OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from masthead import spreadsheets

MASTHEAD = Path(__file__).resolve().parents[1] / "masthead"


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
        "\n=1",
        "\x00=1",
        "=cmd|' /C calc'!A0",
        "\uff1d1+1",  # full-width =
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "  =1+1",  # leading spaces that an import may trim
        "\u3000=1+1",  # ideographic space
        "\ufeff=1+1",  # byte-order mark
        "-3",  # text that looks like a number is still text
    ],
)
def test_formula_text_gets_a_leading_apostrophe(text):
    assert spreadsheets.safe_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value", ["reader@example.com", "footer", "", "a=b", "2026-12-02T10:00:00+00:00", "'abc"]
)
def test_plain_text_is_unchanged(value):
    assert spreadsheets.safe_cell(value) == value


@pytest.mark.parametrize("number", [-3, 0, 2, -1.5, Decimal("-2.50")])
def test_numbers_stay_numbers(number):
    assert spreadsheets.safe_cell(number) == number


@pytest.mark.parametrize("text", ["=1", "'=1", "''=1", "'", "'abc", "abc", "-3", "' -3", ""])
def test_read_cell_undoes_safe_cell(text):
    written = spreadsheets.safe_cell(text)
    assert isinstance(written, str)
    assert spreadsheets.read_cell(written) == text


def test_none_and_booleans_are_text():
    assert spreadsheets.safe_cell(None) == ""
    assert spreadsheets.safe_cell(True) == "True"


def test_writer_round_trips_what_was_typed_behind_one_apostrophe():
    out = io.StringIO()
    writer = spreadsheets.writer(out)
    writer.writerows([["email", "bounces"], ['=HYPERLINK("http://x","y")', -2]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["email", "bounces"], ['\'=HYPERLINK("http://x","y")', "-2"]]


def test_every_csv_or_spreadsheet_writer_goes_through_the_helper():
    """A new export that calls csv.writer (or a spreadsheet library) directly fails here."""
    pattern = re.compile(r"csv\.(writer|DictWriter)\(|openpyxl|xlsxwriter|xlwt|odf\.")
    writers = {
        str(path.relative_to(MASTHEAD.parent))
        for path in MASTHEAD.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert writers == {"masthead/spreadsheets.py"}
