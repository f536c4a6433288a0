"""Details as people read them: labels printed on the page, one entry per fact."""

from __future__ import annotations

import dataclasses

from masthead import ocr
from masthead.ocr import details, extract, layout, receipts
from masthead.ocr.engines import split_line


def document(*lines: str) -> ocr.Document:
    words: list[ocr.Word] = []
    for index, text in enumerate(lines):
        top = 10 + index * 40
        words += split_line(text, ocr.BBox(10, top, 20 + 14 * len(text), top + 30), 0.95)
    page = ocr.Page(
        number=1,
        width=800,
        height=60 + 40 * len(lines),
        dpi=300,
        blocks=layout.arrange(words, (800, 60 + 40 * len(lines))),
    )
    return ocr.Document(pages=(page,), fields=extract.find_fields([page]))


def test_receipt_lines_give_one_detail_each_with_the_printed_label() -> None:
    doc = document("Date: 05/03/2026 Time: 09:42", "Tel: +49 30 1234567", "Total: 42.50 EUR")
    found = [(d.label, d.value) for d in details.details(doc)]
    assert found == [
        ("Date", "5 March 2026"),
        ("Time", "09:42"),
        ("Phone", "+49 30 1234567"),
        ("Total", "42.50 EUR"),
    ]


def test_fields_without_a_key_are_labelled_by_kind() -> None:
    doc = document("write to Hello@Example.com or visit www.example.com")
    found = [(d.label, d.value) for d in details.details(doc)]
    assert found == [("Email", "hello@example.com"), ("Web address", "https://www.example.com")]


def test_beside_the_receipt_card_the_facts_it_shows_are_left_out() -> None:
    """The card shows the receipt's date and total; the details keep what it does not
    (the telephone, the cash handed over, the change)."""
    doc = document(
        "KEDAI BUKU CAHAYA SDN BHD",
        "NO 12, JALAN MAWAR 3, 43000 KAJANG, SELANGOR",
        "Tel: 03-8736 1234",
        "Date: 12/01/2019",
        "PEN BLUE 2.50",
        "Total: RM 2.50",
        "Cash: RM 10.00",
        "Change: RM 7.50",
    )
    receipt = receipts.read_page(doc.pages[0])
    assert receipt is not None and receipt.total is not None
    doc = dataclasses.replace(doc, receipt=receipt)
    everything = [(d.label, d.value) for d in details.details(doc)]
    beside = [(d.label, d.value) for d in details.details(doc, beside_receipt=True)]
    assert ("Date", "12 January 2019") in everything and ("Total", "2.50 MYR") in everything
    assert beside == [("Phone", "03-8736 1234"), ("Cash", "10.00 MYR"), ("Change", "7.50 MYR")]
