"""WCAG 1.4.10 Reflow: every public page fits 320, 360 and 390 CSS px without sideways
scrolling, in light and dark, signed out and signed in (the header's last button differs)."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.blog.models import Post
from tests.blog.factories import published_post
from tests.browser.reading_site import reading_settings, reading_site  # noqa: F401 (fixtures)
from tests.members.conftest import PASSWORD, make_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_site"),
]

WIDTHS = (320, 360, 390)
PAGES = [
    "/",
    "/blog/",
    "/sections/",
    "/locked/",
    "/tag/ai/",
    "/author/nadia-okafor/",
    "/archive/",
    "/search/?q=sections",
    "/tools/",
    "/tools/ocr/",
    "/newsletter/subscribe/",
    "/newsletter/thanks/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
]
WIDEST = """() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"""
CULPRITS = """(width) => [...document.querySelectorAll("body *")]
  .filter(el => el.getBoundingClientRect().right > width + 0.5)
  .slice(-3).map(el => el.tagName + "." + el.className + " " + Math.round(el.getBoundingClientRect().right))"""


@pytest.fixture
def locked_post() -> Post:
    return published_post(
        slug="locked",
        title="A members-only story with a rather long title to wrap",
        visibility=Post.Visibility.MEMBERS,
        body="First paragraph for everyone.\n\n::: members\n\nThe rest, for members.",
    )


def _overflowing(page: Any, path: str) -> list[str]:
    failures = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 720})
        page.goto(path)
        widest = page.evaluate(WIDEST)
        if widest > width:
            culprits = page.evaluate(CULPRITS, width)
            failures.append(f"{path} at {width}px: scrollWidth {widest} {culprits}")
    return failures


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_reflow_at_320_360_390(
    browser: Any, live_server: Any, scheme: str, locked_post: Post
) -> None:
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    try:
        page = context.new_page()
        failures = [failure for path in PAGES for failure in _overflowing(page, path)]
        page.set_viewport_size({"width": 320, "height": 720})
        page.goto("/sections/")
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] <= 72  # one row, not two
        brand = page.locator(".site-header").get_by_role("link", name="Masthead")
        assert brand.get_attribute("href") == "/"  # the name stays the link's accessible name
    finally:
        context.close()
    assert failures == []


def test_header_fits_for_a_signed_in_member(page: Any, locked_post: Post) -> None:
    make_member("reflow.member@example.com")
    page.goto("/accounts/login/")
    page.get_by_text("Sign in with a password instead").click()
    page.locator("#id_login").fill("reflow.member@example.com")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()
    failures = [f for path in ("/", "/locked/", "/accounts/") for f in _overflowing(page, path)]
    assert failures == []
    header = page.locator(".site-header")
    page.set_viewport_size({"width": 320, "height": 720})
    account = header.get_by_role("link", name="Account")
    box = account.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 320
