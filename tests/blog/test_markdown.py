"""The renderer: structure it keeps, things it refuses, and the reading-time formula."""

from __future__ import annotations

import pytest

from masthead.blog import markdown


def test_h2_and_h3_get_ids_and_h2s_make_the_toc() -> None:
    out = markdown.render("## Getting started\n\ntext\n\n### Details\n\n## Next steps\n")
    assert '<h2 id="getting-started">' in out.html
    assert '<h3 id="details">' in out.html
    assert out.toc == [
        {"id": "getting-started", "text": "Getting started"},
        {"id": "next-steps", "text": "Next steps"},
    ]


def test_footnotes_keep_their_anchors() -> None:
    out = markdown.render("Claim.[^1]\n\n[^1]: Source.\n")
    assert 'href="#fn1"' in out.html and 'id="fnref1"' in out.html
    assert '<li id="fn1" class="footnote-item">' in out.html
    assert 'href="#fnref1"' in out.html


def test_raw_html_is_escaped_not_rendered() -> None:
    out = markdown.render("Hello <b>there</b> <script>alert(1)</script>")
    assert "&lt;b&gt;" in out.html
    assert "<script" not in out.html and "<b>" not in out.html


def test_links_get_rel_and_only_safe_schemes() -> None:
    out = markdown.render("[a](https://example.com) [b](mailto:x@example.com) [c](ftp://x)")
    assert 'href="https://example.com" rel="nofollow noopener noreferrer"' in out.html
    assert 'href="mailto:x@example.com"' in out.html
    assert 'href="ftp' not in out.html


def test_tool_directive_becomes_a_slot() -> None:
    out = markdown.render("Intro\n\n::: tool ocr\n\nOutro")
    assert '<div class="tool-slot" data-tool="ocr"></div>' in out.html
    assert ":::" not in out.html


def test_tool_directive_inside_code_stays_text() -> None:
    out = markdown.render("```\n::: tool ocr\n```\n\n    ::: tool ocr\n")
    assert "tool-slot" not in out.html


def test_tables_render_without_inline_styles() -> None:
    out = markdown.render("| a | b |\n|:-|-:|\n| 1 | 2 |\n")
    assert "<table>" in out.html and "style=" not in out.html


def test_counts_words_and_images() -> None:
    out = markdown.render("one two three ![x](/a.png) ![y](/b.png)")
    assert out.image_count == 2
    assert out.word_count == 3


@pytest.mark.parametrize(
    ("words", "images", "minutes"),
    [
        (0, 0, 1),  # never "0 min read"
        (275, 0, 1),
        (275 * 5, 0, 5),
        (275 * 5 + 100, 0, 5),  # 5.36 min rounds down
        (275 * 5 + 150, 0, 6),  # 5.55 min rounds up
        (275 * 4, 1, 4),  # 4 min + 12 s
        (275 * 4, 10, 5),  # 4 min + (12+11+...+3 = 75 s) = 5.25 min
    ],
)
def test_reading_minutes_follows_ghost(words: int, images: int, minutes: int) -> None:
    assert markdown.reading_minutes(words=words, images=images) == minutes


def test_image_time_never_drops_below_three_seconds() -> None:
    # 10 images take 75 s; each of the next 40 adds 3 s: 75 + 120 = 195 s = 3.25 min.
    assert markdown.reading_minutes(words=0, images=50) == 3


def test_sanitise_is_idempotent_on_rendered_output() -> None:
    html = markdown.render("## A\n\n[x](https://a.b) `code` > quote\n\n[^1]\n\n[^1]: n").html
    assert markdown.sanitise(html) == html


def test_images_must_be_local() -> None:
    out = markdown.render(
        "![a](https://cdn.example/a.png) ![b](//cdn.example/b.png) ![c](/media/c.png)"
    )
    assert 'src="/media/c.png"' in out.html
    assert "cdn.example" not in out.html
