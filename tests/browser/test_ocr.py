"""The OCR tool in a real browser: choose, drop and paste a file; see the outlined lines,
copy the text, download every format; the card inside an article; the form without
JavaScript. Every journey ends with no console errors and no requests to other hosts.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.auth.models import User

from masthead import ocr
from masthead.tools.models import OcrJob
from tests.blog.factories import published_post
from tests.fixtures.browser import assert_clean
from tests.tools import engines, images
from tests.tools.conftest import tool_settings  # noqa: F401  the scripted engine, private MEDIA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_URL = "**/tools/ocr/jobs/*/"


def png_file(name: str = "receipt.png") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": images.png()}


def check_result(page: Any) -> None:
    """Both lines outlined, and hovering a line lights up its box (and the reverse)."""
    page.wait_for_url(RESULT_URL)
    boxes = page.locator("rect.ocr-box")
    lines = page.locator("li.ocr-line")
    assert boxes.count() == 2 and lines.count() == 2
    assert lines.nth(0).inner_text() == engines.LINES[0][0]
    lines.nth(1).hover()
    assert "is-active" in (boxes.nth(1).get_attribute("class") or "")
    boxes.nth(0).hover()
    assert "is-active" in (lines.nth(0).get_attribute("class") or "")
    lines.nth(0).focus()
    assert "is-active" in (boxes.nth(0).get_attribute("class") or "")


def test_upload_by_file_chooser_then_copy_and_download(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/tools/ocr/")
    page.set_input_files("#ocr-file", files=[png_file()])
    page.click("text=Read the text")
    check_result(page)
    page.click("[data-ocr-copy]")
    page.wait_for_selector("text=Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.split() == engines.TEXT.split()
    for fmt, exporter in ocr.FORMATS.items():
        with page.expect_download() as info:
            page.click(f"a[data-format={fmt}]")
        download = info.value
        assert download.suggested_filename == f"receipt{exporter.extension}"
        assert download.path().stat().st_size > 0
    assert_clean(page)


def test_upload_by_drag_and_drop(page: Any) -> None:
    page.goto("/tools/ocr/")
    payload = base64.b64encode(images.png()).decode()
    page.evaluate(
        """(data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
            const zone = document.querySelector("[data-ocr-drop]");
            zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        payload,
    )
    page.click("text=Read the text")
    check_result(page)
    assert "dropped.png" in page.inner_text("h1")
    assert_clean(page)


def test_upload_by_paste(page: Any) -> None:
    page.goto("/tools/ocr/")
    payload = base64.b64encode(images.png()).decode()
    page.evaluate(
        """(data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "", { type: "image/png" }));
            document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
        }""",
        payload,
    )
    page.click("text=Read the text")
    check_result(page)
    assert_clean(page)


def test_error_is_shown_inline(page: Any) -> None:
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file", files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"plain text"}]
    )
    page.click("text=Read the text")
    error = page.wait_for_selector("[data-ocr-error]")
    assert "not supported" in error.inner_text()
    assert page.url.endswith("/tools/ocr/")
    # Chromium logs every 4xx fetch itself; that line is the expected answer, not a script error.
    page.console_errors = [e for e in page.console_errors if "status of 415" not in e]
    assert_clean(page)


def test_pdf_result_has_every_page(page: Any) -> None:
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file",
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": images.pdf(3)}],
    )
    page.click("text=Read the text")
    # Three pages read and made into a searchable PDF: on a busy 2-core CI machine this
    # takes longer than Playwright's default 30 s wait.
    page.wait_for_url(RESULT_URL, timeout=120_000)
    assert page.locator("section.ocr-page").count() == 3
    assert page.locator("rect.ocr-box").count() == 6
    assert_clean(page)


def test_card_inside_an_article_shows_the_result_in_place(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    post = published_post(body="Some words first.\n\n::: tool ocr\n\nAnd some after.")
    page.goto(post.get_absolute_url())
    card = page.locator(".tool-card")
    assert card.count() == 1
    before = card.bounding_box()
    page.wait_for_load_state("load")
    assert card.bounding_box() == before  # nothing moves while the page loads
    article_url = page.url
    card.locator("input[type=file]").set_input_files(files=[png_file("from-article.png")])
    card.get_by_role("button", name="Read the text").click()
    text = card.locator("[data-ocr-card-result] textarea")
    text.wait_for(state="visible")
    assert text.input_value().split() == engines.TEXT.split()
    assert page.url == article_url  # the reader is still in the article
    card.locator("text=Copy text").click()
    assert page.evaluate("navigator.clipboard.readText()").split() == engines.TEXT.split()
    full = card.locator("text=Open full result").get_attribute("href") or ""
    assert full.startswith("/tools/ocr/jobs/")
    assert_clean(page)


def test_form_works_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/tools/ocr/")
    page.set_input_files("#ocr-file", files=[png_file()])
    page.click("button[type=submit]")
    page.wait_for_url(RESULT_URL)
    assert page.locator("rect.ocr-box").count() == 2
    assert engines.LINES[1][0] in page.input_value("#ocr-plain")
    context.close()


def sign_in_member(page: Any, live_server: Any) -> Any:
    """A member signed in on the page's browser, through a real session cookie."""
    from django.test import Client

    member = User.objects.create_user("mia", "mia@example.com", "a-long-enough-password-1")
    client = Client()
    client.force_login(member)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.session.session_key, "url": live_server.url}]
    )
    return member


@pytest.mark.parametrize("slots", [1, 0], ids=["read-in-request", "queued-when-busy"])
def test_member_upload_by_file_chooser_shows_the_text(
    page: Any, live_server: Any, settings: Any, slots: int
) -> None:
    """The page's own script posts with the session cookie and X-CSRFToken (issue 10 #2);
    with no free in-request slot the upload is queued and the page follows the job (#9)."""
    settings.MASTHEAD_OCR_SYNC_SLOTS = slots
    member = sign_in_member(page, live_server)
    page.goto("/tools/ocr/")
    page.set_input_files("#ocr-file", files=[png_file("member.png")])
    with page.expect_response("**/api/v1/ocr") as answer:
        page.click("text=Read the text")
    response = answer.value
    assert response.request.headers.get("x-csrftoken")
    assert response.status == (200 if slots else 202), response.text()
    check_result(page)
    assert page.locator("li.ocr-line").nth(1).inner_text() == engines.LINES[1][0]
    assert OcrJob.objects.get().owner == member
    assert_clean(page)
