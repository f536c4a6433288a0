"""Members-only posts: the ``::: members`` divider, the public teaser and the way back
(ADR 0110, 0210)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.blog import markdown
from masthead.blog.models import Post
from tests.blog.factories import make_user, published_post

pytestmark = pytest.mark.django_db

BODY = (
    "Opening for everyone.\n\n- a point\n- another\n\nStill public.\n\n::: members\n\n"
    "SECRET part.\n\n::: members\n\nMore SECRET."
)


def test_divider_renders_as_an_empty_marker() -> None:
    html = markdown.render(BODY).html
    assert html.count(markdown.MEMBERS_DIVIDER) == 2
    assert ":::" not in html


@pytest.mark.parametrize(
    "line", ["    ::: members", "::: member", "::: members now", "- ::: members", "> ::: members"]
)
def test_only_the_exact_line_is_a_divider(line: str) -> None:
    assert markdown.MEMBERS_DIVIDER not in markdown.render(f"Text.\n\n{line}\n\nMore.").html


def test_teaser_is_everything_above_the_first_divider() -> None:
    teaser = markdown.teaser(markdown.render(BODY).html)
    assert "Opening for everyone." in teaser and "Still public." in teaser
    assert "<li>another</li>" in teaser and "SECRET" not in teaser


def test_without_a_divider_the_teaser_is_the_first_two_paragraphs() -> None:
    html = markdown.render("One.\n\nTwo.\n\n::: tool ocr\n\nThree.\n\nFour.").html
    teaser = markdown.teaser(html)
    assert "One." in teaser and "Two." in teaser and "Three." not in teaser


@pytest.mark.parametrize("body", ["Only one.", "One.\n\nTwo.", "## Head\n\nOnly one."])
def test_the_fallback_teaser_is_never_the_whole_post(body: str) -> None:
    html = markdown.render(body).html
    teaser = markdown.teaser(html)
    assert len(teaser) < len(html) and ("Two." not in teaser and "Only one." not in teaser)


def test_a_cut_inside_a_quote_comes_out_balanced() -> None:
    html = markdown.render("> One.\n>\n> Two.\n>\n> Three.").html
    teaser = markdown.teaser(html)
    assert teaser.count("<blockquote>") == teaser.count("</blockquote>") == 1
    assert "Three." not in teaser


@pytest.fixture
def locked() -> Post:
    return published_post(slug="locked", title="Locked", body=BODY, visibility="members")


def test_visitors_get_the_teaser_and_a_way_back(client: Client, locked: Post) -> None:
    page = client.get("/locked/").content.decode()
    assert "Opening for everyone." in page and "SECRET" not in page
    assert 'href="/accounts/signup/?next=/locked/"' in page
    assert 'href="/accounts/login/?next=/locked/"' in page
    assert "Log in" not in page and "Login" not in page


def test_members_get_the_whole_post(client: Client, locked: Post) -> None:
    client.force_login(make_user())
    page = client.get("/locked/").content.decode()
    assert "SECRET part." in page and "More SECRET." in page
    assert "The rest of this post is for members" not in page


def test_locked_pages_stay_on_the_page_cache(client: Client, locked: Post, settings: Any) -> None:
    from masthead.core import pagecache

    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()
    client.get("/locked/")
    again = client.get("/locked/")
    assert again["X-Page-Cache"] == "hit"
    assert "Opening for everyone." in again.content.decode()
