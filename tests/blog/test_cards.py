"""Cards and meta lines are built in Python (blog/cards.py, ADR 0108): the markup the
templates gave, every value escaped."""

from __future__ import annotations

import re

import pytest

from masthead.blog import cards, selectors
from masthead.blog.models import Post
from tests.blog.factories import make_author, make_tag, published_post

pytestmark = pytest.mark.django_db


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def test_a_card_shows_category_badge_title_excerpt_and_byline_escaped() -> None:
    tag = make_tag(name="A&B", slug="a-b")
    authors = [make_author(display_name="Ann <b>", slug="ann"), make_author(display_name="Bo")]
    published_post(
        slug="card", title="<script>x</script>", excerpt="Lede & more", tags=[tag],
        authors=authors, visibility=Post.Visibility.MEMBERS,
    )  # fmt: skip
    post = selectors.post_list_published().get(slug="card")
    html = _flat(cards.card_html(post, "3", large=True))
    day = f"{post.published_at:%Y-%m-%d}"
    assert html.startswith(
        '<article class="card card--large"><div class="card__body">'
        '<a class="category" href="/tag/a-b/">A&amp;B</a><span class="badge">Members</span>'
        '<h3 class="card__title"><a href="/card/">&lt;script&gt;x&lt;/script&gt;</a></h3>'
        '<p class="card__excerpt">Lede &amp; more</p><p class="post-meta">'
        '<span class="post-meta__authors"><a href="/author/ann/">Ann &lt;b&gt;</a>, '
        f'<a href="/author/{authors[1].slug}/">Bo</a></span>'
        '<span class="post-meta__dot" aria-hidden="true">·</span>'
        f'<time datetime="{day}T'
    )
    assert html.endswith('<span class="post-meta__reading">1 min read</span></p></div></article>')


def test_a_plain_card_has_no_media_category_badge_or_byline() -> None:
    published_post(slug="plain", title="Plain", excerpt="")
    html = _flat(cards.card_html(selectors.post_list_published().get(slug="plain")))
    assert html.startswith(
        '<article class="card"><div class="card__body">'
        '<h2 class="card__title"><a href="/plain/">Plain</a></h2><p class="post-meta"><time '
    )
    assert "card__media" not in html and "post-meta__authors" not in html
    assert cards.hero_html(selectors.post_list_published().get(slug="plain")) == ""
