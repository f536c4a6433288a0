"""A reader's journey in Chromium: front page, an article, its category, and search."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in
from tests.browser.reading_site import reading_settings, reading_site  # noqa: F401 (fixtures)
from tests.fixtures import staff
from tests.fixtures.browser import assert_clean

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_site"),
]

SHARE = ["X", "LinkedIn", "Facebook", "Reddit", "Hacker News", "Email", "Copy link"]

# Cumulative layout shift, as the browser's Layout Instability API reports it.
CLS_SCRIPT = """
() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})
"""


def test_front_page_article_category_and_search(page: Any) -> None:
    page.goto("/")
    featured = page.locator(".featured")
    assert featured.get_by_role("link", name="Sections make long reads easy").is_visible()
    assert featured.locator(".category").first.inner_text() == "AI"

    featured.get_by_role("link", name="Sections make long reads easy").click()
    page.wait_for_url("**/sections/")
    header = page.locator(".post__header")
    assert header.locator(".category").inner_text() == "AI"  # category above the title
    category_box = header.locator(".category").bounding_box()
    title_box = page.locator("h1#post-title").bounding_box()
    assert category_box["y"] < title_box["y"]
    assert header.get_by_text("1 min read").is_visible()

    toc = page.get_by_role("navigation", name="In this post")
    assert toc.get_by_role("link").all_inner_texts() == [
        "Why sections matter", "How to write them", "What to avoid",
    ]  # fmt: skip
    toc.get_by_role("link", name="What to avoid").click()
    page.wait_for_url("**/sections/#what-to-avoid")

    card = page.locator(".prose .tool-card")
    assert card.is_visible() and "try it" in card.inner_text().lower()
    assert card.get_by_role("link").first.get_attribute("href") == "/tools/ocr/"

    share = page.locator(".share")
    for name in SHARE:
        assert (
            share.get_by_role("link", name=name)
            .or_(share.get_by_role("button", name=name))
            .is_visible()
        ), name
    share.get_by_role("button", name="Copy link").click()
    expect(share.locator(".share__status")).to_have_text(re.compile("Link copied|Could not copy"))

    newsletter = page.locator(".site-footer .newsletter-box")
    assert newsletter.get_by_role("heading", name="Stay in the loop").is_visible()
    assert newsletter.get_by_label("Email address").is_visible()

    page.locator(".post__tags").get_by_role("link", name="AI").click()
    page.wait_for_url("**/tag/ai/")
    assert page.get_by_role("heading", level=1).inner_text() == "AI"
    assert page.get_by_role("link", name="Another AI story").is_visible()

    page.goto("/search/")
    page.get_by_label("Search posts").fill("headings")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=headings")
    assert "1 result" in page.locator(".search-summary").inner_text()
    assert page.get_by_role("link", name="Sections make long reads easy").is_visible()
    assert_clean(page)


def test_article_does_not_shift_while_loading(page: Any) -> None:
    page.goto("/sections/")
    hero = page.locator(".post__hero img")
    assert hero.get_attribute("width") == "1600" and hero.get_attribute("height") == "900"
    assert page.locator(".post__hero source[type='image/avif']").get_attribute("srcset")
    assert page.evaluate(CLS_SCRIPT) < 0.05
    assert_clean(page)


def test_dark_mode_and_skip_link(page: Any) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto("/sections/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 22)"
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    page.wait_for_url("**/sections/#main")
    assert page.locator("main").count() == 1 and page.locator("header.site-header").count() == 1
    assert_clean(page)
    page.goto("/tools/ocr/")  # the tool page follows the theme too
    drop = page.locator(".ocr-drop")
    colours = drop.evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
    )
    assert colours == ["rgb(34, 37, 42)", "rgb(236, 235, 232)"]  # --surface-2, --text (dark)
    assert_clean(page)


def test_web_share_button_only_where_the_browser_has_it(page: Any) -> None:
    page.add_init_script("delete Navigator.prototype.share;")
    page.goto("/sections/")
    assert page.locator("[data-web-share]").is_hidden()
    assert_clean(page)


def test_web_share_button_shares_title_and_url(page: Any) -> None:
    page.add_init_script(
        "Navigator.prototype.share = function (data) { window.__shared = data; return Promise.resolve(); };"
    )
    page.goto("/sections/")
    page.get_by_role("button", name="Share…").click()
    shared = page.evaluate("window.__shared")
    assert shared["title"] == "Sections make long reads easy"
    assert shared["url"].endswith("/sections/")
    assert_clean(page)


def test_editor_sees_a_live_markdown_preview(page: Any, live_server: Any) -> None:
    """The admin preview (external script, CSP-safe) renders what readers will see."""
    sign_in(page, live_server, staff.superuser())
    page.goto("/admin/blog/post/add/")
    page.locator("#id_body").fill("## Hello preview\n\n<script>alert(1)</script> *done*")
    preview = page.locator(".md-preview__body")
    expect(preview.locator("h2#hello-preview")).to_have_text("Hello preview")
    expect(preview.locator("em")).to_have_text("done")
    assert preview.locator("script").count() == 0
    expect(page.locator(".md-preview__meta")).to_contain_text("1 min read")
    assert_clean(page)


def test_editor_preview_states_the_size_and_time_limits(
    page: Any, live_server: Any, settings: Any
) -> None:
    """Over the size limit the script says so without asking the server; a render the
    server stops (time limit) shows the server's message from the JSON error envelope."""
    settings.MASTHEAD_POST_MAX_BYTES = 1000
    sign_in(page, live_server, staff.superuser())
    previews: list[str] = []
    page.on("request", lambda r: previews.append(r.url) if "/preview/" in r.url else None)
    page.goto("/admin/blog/post/add/")
    meta = page.locator(".md-preview__meta")
    expect(meta).to_contain_text("1 min read")  # the first preview of the empty body
    sent = len(previews)
    page.locator("#id_body").fill("é" * 501)
    expect(meta).to_have_text(
        "The text is 1,002 bytes; the limit is 1,000 bytes. Split it into shorter posts."
    )
    assert len(previews) == sent  # nothing was sent
    settings.MASTHEAD_POST_RENDER_SECONDS = 0
    page.locator("#id_body").fill("## Fine")
    expect(meta).to_contain_text("Formatting this text took longer than 0 seconds")
    expect(page.locator(".md-preview__body h2")).to_have_count(0)
    # The 422 is logged by Chromium as a failed resource load; nothing else went wrong.
    assert all("422" in error for error in page.console_errors), page.console_errors
    assert page.foreign_requests == [] and page.dialogs == []
