"""C01-C03: Markdown XSS payloads in the body, title, excerpt and author bio; sanitiser properties."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.blog import markdown
from tests.blog.factories import make_author, make_tag, published_post
from tests.blog.xss import PAYLOADS, executable_constructs, page_problems, tag_counts


def test_there_are_at_least_forty_payloads() -> None:
    assert len(set(PAYLOADS)) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_body_payload_renders_nothing_executable(payload: str) -> None:
    text = f"Intro paragraph.\n\n{payload}\n\nOutro."
    if payload.startswith("::: tool"):  # naming no tool the site has: refused outright
        with pytest.raises(markdown.MarkdownRefused, match="there is no tool called"):
            markdown.render(text)
        return
    html = markdown.render(text).html
    assert executable_constructs(html) == [], html


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["title", "excerpt", "body", "bio"])
def test_payloads_in_each_field_leave_the_page_safe(client: Any, field: str) -> None:
    tag = make_tag(name="Safe", slug="safe")
    author = make_author(bio="plain")
    baseline = published_post(slug="baseline", tags=[tag], authors=[author])
    expected = {
        kind: tag_counts(client.get(url).content.decode())
        for kind, url in (
            ("post", baseline.get_absolute_url()),
            ("author", author.get_absolute_url()),
        )
    }
    # PostgreSQL cannot store NUL; the admin form refuses it (test_admin), so store U+FFFD,
    # which is also what CommonMark turns NUL into.
    for index, payload in enumerate(p.replace("\x00", "\ufffd") for p in PAYLOADS):
        fields = {"slug": f"p{index}", field: payload} if field != "bio" else {"slug": f"p{index}"}
        if field == "bio":
            author = make_author(bio=payload)
        if field == "body" and payload.startswith("::: tool"):
            # A tool card naming no tool the site has is refused before anything is stored.
            with pytest.raises(markdown.MarkdownRefused) as refused:
                published_post(tags=[tag], authors=[author], **fields)
            assert refused.value.code == "unknown_tool"
            continue
        post = published_post(tags=[tag], authors=[author], **fields)
        for kind, url in (("post", post.get_absolute_url()), ("author", author.get_absolute_url())):
            page = client.get(url).content.decode()
            assert tag_counts(page) == expected[kind], (field, payload, url)
            assert page_problems(page) == [], (field, payload, url)


def test_raw_html_is_escaped_in_member_markdown() -> None:
    html = markdown.render('<p onclick="x()">hi</p>').html
    assert "&lt;p onclick" in html


_dangerous = st.sampled_from(
    [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "<svg>",
        "<iframe>", "<a href='javascript:alert(1)'>", "<style>", '"', "'", "<", ">", "&",
        "<noscript>", "</noscript>", "<math>", "<a href='data:text/html,x'>", "onload=",
        "<div class=\"tool-slot\" data-tool=\"ocr\"></div>",
    ]
)  # fmt: skip
_soup = st.lists(st.one_of(_dangerous, st.text(max_size=12)), max_size=20).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_soup)
def test_sanitiser_output_is_safe_and_idempotent(text: str) -> None:
    once = markdown.sanitise(text)
    assert executable_constructs(once) == []
    assert markdown.sanitise(once) == once


@settings(max_examples=300, deadline=None)
@given(_soup)
def test_rendered_markdown_is_always_safe(text: str) -> None:
    html = markdown.render(text).html
    assert executable_constructs(html) == []
    assert markdown.sanitise(html) == html
