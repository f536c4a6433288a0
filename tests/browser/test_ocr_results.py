"""The OCR result as a reader uses it (issue 13), in Chromium: text first within a few Tab
presses, one page's text copied, Word, Excel and the searchable PDF downloaded and opened,
the language set after choosing a file, the share link made in place, the delete asked
for; the same pages at 390 px without sideways scrolling; axe-core finds nothing, in the
light scheme and the dark."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from axe_playwright_python.sync_playwright import Axe

from masthead.tools.models import OcrJob
from tests.blog.factories import published_post
from tests.fixtures.browser import assert_clean
from tests.tools import engines, images
from tests.tools.conftest import tool_settings  # noqa: F401  the scripted engine, private files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_URL = "**/tools/ocr/jobs/*/"
PHONE = {"width": 390, "height": 844}


def read_pdf(page: Any, pages: int = 3) -> None:
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file",
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": images.pdf(pages)}],
    )
    page.click("text=Read the text")
    page.wait_for_url(RESULT_URL)


def no_axe_violations(page: Any) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls {overflow} px sideways"


def test_text_and_copy_come_first_and_lines_take_one_tab_stop(page: Any) -> None:
    read_pdf(page)
    text_top = page.locator("#ocr-plain").bounding_box()["y"]
    first_page_top = page.locator("section.ocr-page").first.bounding_box()["y"]
    assert text_top < first_page_top < 2000
    page.locator("body").focus()
    presses = 0
    while page.evaluate("document.activeElement.dataset.ocrCopy") != "ocr-plain":
        presses += 1
        assert presses <= 12, "Copy text is not within 12 Tab presses"
        page.keyboard.press("Tab")
    first_line = page.locator("li.ocr-line").first
    first_line.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == engines.LINES[1][0]
    page.keyboard.press("Tab")  # leaves the list: its lines are not tab stops
    assert page.evaluate("document.activeElement.tagName") != "LI"
    assert_clean(page)


def test_copy_the_second_page_and_download_it(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    read_pdf(page)
    page.click("text=Copy page 2")
    assert page.evaluate("navigator.clipboard.readText()").split() == engines.TEXT.split()
    with page.expect_download() as info:
        page.click("text=Download page 2 (text)")
    assert info.value.suggested_filename == "scan-page-2.txt"
    assert Path(info.value.path()).read_text().split() == engines.TEXT.split()
    assert_clean(page)


def test_word_excel_and_searchable_pdf_downloads(page: Any) -> None:
    read_pdf(page, pages=2)
    files: dict[str, bytes] = {}
    for fmt in ("docx", "xlsx", "pdf"):
        with page.expect_download() as info:
            page.click(f"a[data-format={fmt}]")
        assert info.value.suggested_filename == f"scan.{fmt}"
        files[fmt] = Path(info.value.path()).read_bytes()
    word = docx.Document(io.BytesIO(files["docx"]))
    assert [p.text for p in word.paragraphs if p.text.strip()] == [engines.TEXT, engines.TEXT]
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    values = [c.value for row in book["Details"].iter_rows() for c in row]
    assert "Invoice total" in values and "42.50 EUR" in values
    pdf = pdfium.PdfDocument(files["pdf"])
    assert len(pdf) == 2
    first = pdf[0]
    assert first.get_textpage().get_text_range().split() == engines.TEXT.split()
    rendered = first.render(scale=1).to_pil().convert("L")
    dark = sum(rendered.histogram()[:128]) / (rendered.width * rendered.height)
    assert dark > 0.01, "page 1 of the searchable PDF renders blank"
    assert_clean(page)


def test_language_chosen_after_the_file_is_used(page: Any) -> None:
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file", files=[{"name": "a.png", "mimeType": "image/png", "buffer": images.png()}]
    )
    assert "a.png" in page.inner_text("[data-ocr-chosen]")
    assert page.url.endswith("/tools/ocr/")  # choosing did not send it
    assert page.input_value("#ocr-languages") == ""  # automatic by default
    page.select_option("#ocr-languages", label="German")
    page.click("text=Read the text")
    page.wait_for_url(RESULT_URL)
    assert OcrJob.objects.get().options["languages"] == ["deu"]
    assert_clean(page)


def test_share_link_in_place_and_delete_asks_first(page: Any) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    read_pdf(page, pages=1)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    url = page.url
    page.click("text=Create a share link")
    link = page.locator("#ocr-share-link")
    link.wait_for()
    assert page.url == url and page.evaluate("window.scrollY") > 0  # no reload to the top
    token = OcrJob.objects.get().share_token
    assert link.input_value().endswith(f"/tools/ocr/shared/{token}/")
    page.click("text=Copy link")
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    page.click("text=Delete this result")
    page.wait_for_selector("text=Delete this result?")
    assert OcrJob.objects.count() == 1
    page.click("text=Delete it")
    page.wait_for_selector("text=The result was deleted.")
    assert OcrJob.objects.count() == 0
    assert_clean(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_and_accessibility(browser: Any, live_server: Any, scheme: str) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto("/tools/ocr/")
        no_sideways_scroll(page)
        no_axe_violations(page)
        read_pdf(page, pages=2)
        no_sideways_scroll(page)
        no_axe_violations(page)
        post = published_post(body="Before.\n\n::: tool ocr\n\nAfter.")
        page.goto(post.get_absolute_url())
        card = page.locator(".tool-card")
        card.locator("input[type=file]").set_input_files(
            files=[{"name": "r.png", "mimeType": "image/png", "buffer": images.png()}]
        )
        card.get_by_role("button", name="Read the text").click()
        card.locator("[data-ocr-card-result] textarea").wait_for(state="visible")
        assert page.url.endswith(post.get_absolute_url())
        no_sideways_scroll(page)
        no_axe_violations(page)
    finally:
        context.close()


def test_three_files_at_once_with_one_zip(page: Any) -> None:
    page.goto("/tools/ocr/")
    files = [
        {"name": f"{name}.png", "mimeType": "image/png", "buffer": images.png()}
        for name in ("one", "two", "three")
    ]
    page.set_input_files("#ocr-file", files=files)
    assert "3 files" in page.inner_text("[data-ocr-chosen]")
    page.get_by_role("button", name="Read the text").click()
    page.wait_for_selector("text=3 of 3 files read.")
    rows = page.locator(".ocr-batch__item")
    assert rows.count() == 3 and rows.nth(1).inner_text().startswith("two.png")
    assert page.locator(".ocr-batch__item >> text=Open result").count() == 3
    with page.expect_download() as info:
        page.click("text=Download all (zip)")
    import zipfile

    names = sorted(zipfile.ZipFile(info.value.path()).namelist())
    assert names == ["one.pdf", "one.txt", "three.pdf", "three.txt", "two.pdf", "two.txt"]
    assert OcrJob.objects.count() == 3
    assert_clean(page)
