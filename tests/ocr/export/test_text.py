from __future__ import annotations

from masthead.ocr.document import Document
from masthead.ocr.export import FORMATS, render, text
from tests.ocr.export.sample import document


def test_blocks_in_order_blank_line_between_and_form_feed_between_pages() -> None:
    out = text.render(document())
    assert out.startswith(
        "Weekly *digest*\n\nMasthead reads <text> & more.\n# not a heading\n\n• first item"
    )
    assert "Item\tPrice\nTea | green\t2.50\nCake\t4.00\n\fPage two\n" in out
    assert out.endswith("Page two\n")


def test_empty_document_renders_empty() -> None:
    assert text.render(Document(())) == ""
    assert render(Document(()), "text") == "" and FORMATS["text"].extension == ".txt"
