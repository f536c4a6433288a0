"""HTML from other platforms to Markdown: what readers see, and what can never run."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.blog import markdown
from masthead.exchange import tomarkdown

EXECUTABLE = re.compile(r"<script|<iframe|<object|<embed|<style|\son\w+\s*=|javascript:", re.I)
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="x" onmouseover="alert(1)">hover</div>',
    '<form action="https://evil.example"><input name=a></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">',
    "<scr<script>ipt>alert(1)</script>",
]


def test_payloads_never_reach_the_page() -> None:
    for payload in PAYLOADS:
        body = tomarkdown.convert(f"<p>before</p>{payload}<p>after</p>")
        html = markdown.render(body).html
        assert not EXECUTABLE.search(html), (payload, html)
        assert "before" in body and "after" in body


def test_structure() -> None:
    md = tomarkdown.convert(
        "<h1>T</h1><h4>Four</h4><p>a<br>b</p><ol start=3><li>x</li><li>y</li></ol>"
        "<blockquote><p>q</p></blockquote><pre><code>x = `1`</code></pre><hr>"
    )
    assert "## T" in md and "#### Four" in md and "a  \nb" in md
    assert "3. x\n4. y" in md and "> q" in md and "```\nx = `1`\n```" in md and "---" in md


def test_text_that_looks_like_markdown_stays_text() -> None:
    md = tomarkdown.convert("<p># not a heading and *not* emphasis [not](a link)</p>")
    html = markdown.render(md).html
    assert "<h" not in html and "<em>" not in html and "<a " not in html


def test_markdown_cards_keep_code_and_lose_scripts() -> None:
    text = "A <script>x()</script> b\n\n```html\n<script>shown()</script>\n```\n\n`<style>`"
    cleaned = tomarkdown.clean_markdown(text)
    assert "x()" not in cleaned and "shown()" in cleaned and "`<style>`" in cleaned


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*PAYLOADS, "<p>", "</p>", "<b>", "text", "<a href='/x'>", "</a>", "<li>", "<ul>"]
        ),
        max_size=12,
    )
)
def test_any_mix_renders_safely(parts: list[str]) -> None:
    html = markdown.render(tomarkdown.convert("".join(parts))).html
    assert not EXECUTABLE.search(html)
