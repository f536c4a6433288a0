"""Comment text: escaped, autolinked safely, limited."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.comments import text
from masthead.errors import MastheadError


def test_markup_is_shown_as_text_never_run() -> None:
    html = text.render(text.normalise("<script>alert(1)</script> <img src=x onerror=alert(1)>"))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_web_addresses_become_nofollow_ugc_links() -> None:
    html = text.render("See https://example.com/a?b=1&c=2.")
    assert html == (
        '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a>.</p>"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        'https://x.test/"onmouseover="alert(1)',
        "https://x.test/'><script>alert(1)</script>",
    ],
)
def test_no_link_or_attribute_escapes(raw: str) -> None:
    html = text.render(text.normalise(raw))
    assert "javascript:" not in html.split("href=")[-1] or 'href="javascript' not in html
    assert "<script" not in html and 'href="javascript' not in html.lower()
    assert '"onmouseover' not in html and "'>" not in html


def test_paragraphs_and_line_breaks() -> None:
    assert text.render(text.normalise("one\r\ntwo\n\n\n\nthree")) == "<p>one<br>two</p><p>three</p>"


def test_control_characters_are_dropped() -> None:
    assert text.normalise("a\x00b\x1bc\u200bd") == "abc\u200bd"


def test_a_bracket_that_belongs_to_the_address_stays() -> None:
    html = text.render("(see https://en.wikipedia.org/wiki/Foo_(bar))")
    assert 'href="https://en.wikipedia.org/wiki/Foo_(bar)"' in html
    assert html.endswith("</a>)</p>")


@pytest.mark.parametrize(
    ("raw", "code", "status"),
    [
        ("   \n\x00 ", "comment_empty", 400),
        ("x" * 1_000_000, "comment_too_long", 413),
        ("https://spam.test/ " * 10_000, "comment_too_long", 413),
        ("https://a.test " * 11, "too_many_links", 400),
    ],
)
def test_bad_text_is_refused(raw: str, code: str, status: int, settings: Any) -> None:
    with pytest.raises(MastheadError) as info:
        text.check(text.normalise(raw))
    assert (info.value.code, info.value.status) == (code, status)


def test_links_are_counted_even_when_short(settings: Any) -> None:
    settings.MASTHEAD_COMMENT_MAX_CHARS = 10**7
    with pytest.raises(MastheadError) as info:
        text.check("http://a " * 10_000)
    assert info.value.code == "too_many_links" and "10,000" in info.value.message
