from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from masthead.ocr.export import markdown
from tests.ocr.export.sample import document


def test_structure_headings_lists_tables_pages() -> None:
    out = markdown.render(document())
    assert out.startswith("# Weekly \\*digest\\*\n\n")
    assert "- first item\n2. second item" in out
    assert "| Item | Price |\n|---|---|\n| Tea \\| green | 2.50 |\n| Cake | 4.00 |" in out
    assert "\n\n---\n\nPage two\n" in out


def test_rendered_html_shows_text_as_written() -> None:
    html = MarkdownIt("commonmark").enable("table").render(markdown.render(document()))
    assert "<h1>Weekly *digest*</h1>" in html
    assert "&lt;text&gt; &amp; more." in html and "# not a heading" in html
    assert html.count("<h1>") == 1 and "<table>" in html and "<td>Tea | green</td>" in html


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("1. not a list", "1\\. not a list"),
        ("- dash", "\\- dash"),
        ("a_b*c*", "a\\_b\\*c\\*"),
        ("> quote", "\\> quote"),
        ("[link](x)", "\\[link\\](x)"),
    ],
)
def test_escape(raw: str, escaped: str) -> None:
    assert markdown.escape(raw) == escaped
