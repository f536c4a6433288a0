"""Word, Excel and CSV: read back with the libraries that open them."""

from __future__ import annotations

import csv
import io

import docx
import openpyxl

from masthead import ocr
from masthead.ocr.document import Document
from tests.ocr.export.sample import document, line
from tests.ocr.test_details import document as receipt


def test_docx_has_the_paragraphs_headings_and_the_table() -> None:
    word = docx.Document(io.BytesIO(ocr.render(document(), "docx")))  # type: ignore[arg-type]
    texts = [p.text for p in word.paragraphs]
    assert "Weekly *digest*" in texts
    assert word.paragraphs[0].style.name == "Heading 1"  # type: ignore[union-attr]
    assert "Masthead reads <text> & more.\n# not a heading" in texts
    [table] = word.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Item", "Price"],
        ["Tea | green", "2.50"],
        ["Cake", "4.00"],
    ]


def test_xlsx_has_a_sheet_per_table_and_the_details() -> None:
    book = openpyxl.load_workbook(io.BytesIO(ocr.render(receipt("Total: 42.50 EUR"), "xlsx")))  # type: ignore[arg-type]
    assert book.sheetnames == ["Details"]
    rows = [[c.value for c in row] for row in book["Details"].iter_rows()]
    assert rows == [["Detail", "Value", "Page"], ["Total", "42.50 EUR", "1"]]
    tables = openpyxl.load_workbook(io.BytesIO(ocr.render(document(), "xlsx")))  # type: ignore[arg-type]
    assert "Table 1" in tables.sheetnames
    assert tables["Table 1"]["A2"].value == "Tea | green"


def test_formula_looking_text_stays_text() -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    page = ocr.Page(1, 2000, 400, 300, (ocr.Block((line(formula, 100),), line(formula, 100).bbox),))
    doc = Document(pages=(page,))
    sheet = openpyxl.load_workbook(io.BytesIO(ocr.render(doc, "xlsx"))).active  # type: ignore[arg-type]
    assert sheet is not None
    cell = sheet["A1"]
    assert cell.value == "'" + formula and cell.data_type == "s"  # the apostrophe, as in CSV
    rows = list(csv.reader(io.StringIO(str(ocr.render(doc, "csv")))))
    assert rows == [["'" + formula]]


def test_csv_has_details_then_tables() -> None:
    rows = list(csv.reader(io.StringIO(str(ocr.render(document(), "csv")))))
    assert ["Item", "Price"] in rows and ["Cake", "4.00"] in rows
