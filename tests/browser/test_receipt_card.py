"""The receipt card in a real browser: fields outlined on the image, edits downloaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from masthead import ocr
from masthead.tools.models import OcrJob
from tests.browser.axe import violations
from tests.browser.test_ocr import sign_in_member
from tests.fixtures.browser import assert_clean
from tests.ocr.drawing import encode
from tests.ocr.test_receipts import _drawn_receipt, _with_total
from tests.ocr.test_receipts import page as printed_page
from tests.tools.conftest import tool_settings  # noqa: F401  the scripted engine, private MEDIA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")


def _upload(page: Any) -> None:
    """Send a drawn receipt through the tool page's own form, up to its result page."""
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file",
        files=[{"name": "till.png", "mimeType": "image/png", "buffer": encode(_drawn_receipt())}],
    )
    page.click("text=Read the text")
    page.wait_for_url("**/tools/ocr/jobs/*/")


def test_receipt_card_outlines_fields_and_downloads_the_edits(
    page: Any,
    tool_settings: Any,  # noqa: F811
) -> None:
    _upload(page)
    document = ocr.run(encode(_drawn_receipt()), ocr.OcrOptions(engine="rapid"))
    assert document.receipt is not None
    OcrJob.objects.update(result=document.to_dict())
    page.reload()
    total = page.locator("input[name=total]")
    assert total.input_value() == "10.07"
    total.focus()
    assert "is-active" in (
        page.locator('[data-receipt-box="total"]').first.get_attribute("class") or ""
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    description = page.locator("input[name=item_description]").first.bounding_box()
    amount = page.locator("input[name=item_amount]").first.bounding_box()
    assert description is not None and amount is not None
    # the item's name is what a reader checks: it gets room, the figures need little
    assert description["width"] >= 2 * amount["width"]
    address = page.locator("input[name=address]").bounding_box()
    date = page.locator("input[name=date]").bounding_box()
    assert address is not None and date is not None
    assert address["width"] >= 1.8 * date["width"]  # a long address shows whole
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-receipt]").screenshot(path=str(SHOTS / "receipt-card.png"))
    page.fill("input[name=merchant]", "Kedai Buku Cahaya (edited)")
    with page.expect_download() as info:
        page.click("button[value=csv]")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
    assert ["Merchant", "Kedai Buku Cahaya (edited)"] in rows and ["Total", "10.07"] in rows
    with page.expect_download() as info:
        page.click("button[value=xlsx]")
    assert info.value.suggested_filename == "till-receipt.xlsx"
    assert_clean(page)


@pytest.mark.parametrize(("width", "scheme"), [(320, "light"), (390, "dark")])
def test_a_total_read_again_is_flagged_and_the_card_fits_a_phone(
    page: Any,
    tool_settings: Any,  # noqa: F811
    width: int,
    scheme: str,
) -> None:
    page.emulate_media(color_scheme=scheme)
    _upload(page)
    shown = printed_page(_with_total("TOTAL  RM 16.07"))
    document = ocr.Document((shown,), receipt=ocr.find_receipt([shown]))
    OcrJob.objects.update(result=document.to_dict())
    page.set_viewport_size({"width": width, "height": 800})
    page.reload()
    note = page.locator("[data-receipt-misread]")
    assert note.is_visible() and "add up to 10.07" in note.inner_text()
    assert page.locator("input[name=total]").input_value() == "10.07"
    widest = page.evaluate("() => document.documentElement.scrollWidth")
    assert widest <= width, f"the result page scrolls sideways at {width}px: {widest}"
    box = note.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    form = page.locator(".receipt-card__form").bounding_box()
    assert form is not None
    # no field past the card's edge
    for field in page.locator(".receipt-card__form input[type=text]").all():
        shown = field.bounding_box()
        assert shown is not None and shown["x"] + shown["width"] <= form["x"] + form["width"] + 0.5
    for name in ("item_description", "item_amount"):  # every item column on screen, usable
        for field in page.locator(f"input[name={name}]").all():
            shown = field.bounding_box()
            assert shown is not None
            assert shown["width"] >= (0.9 if name == "item_description" else 0.25) * form["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-receipt]").screenshot(path=str(SHOTS / f"receipt-{scheme}-{width}.png"))
    assert violations(page) == []  # contrast included, in the dark scheme too
    assert_clean(page)


def test_large_amounts_show_whole_in_the_item_fields_on_a_narrow_phone(
    page: Any,
    tool_settings: Any,  # noqa: F811
) -> None:
    """A bill in rupiah or won runs to eight figures and more: at 320 px each item's
    quantity, unit price and amount still show whole in their fields, not cut off."""
    _upload(page)
    lines = ["KEDAI CONTOH", "EXCAVATOR HIRE 2 x 150000.00  300000.00", "TOTAL  RM 300000.00"]
    shown = printed_page(lines)
    document = ocr.Document((shown,), receipt=ocr.find_receipt([shown]))
    assert document.receipt is not None and document.receipt.items
    OcrJob.objects.update(result=document.to_dict())
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    for name in ("item_quantity", "item_unit_price", "item_amount"):
        field = page.locator(f"input[name={name}]").first
        value = field.input_value()
        assert value, name
        cut = field.evaluate("(el) => el.scrollWidth - el.clientWidth")
        assert cut <= 0, f"{name} {value!r} is cut by {cut}px at 320px"
    widest = page.evaluate("() => document.documentElement.scrollWidth")
    assert widest <= 320
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-receipt]").screenshot(path=str(SHOTS / "receipt-large-amounts-320.png"))
    assert_clean(page)


def test_a_signed_in_member_edits_and_downloads_their_receipt(
    page: Any,
    live_server: Any,
    tool_settings: Any,  # noqa: F811
) -> None:
    """The member's path: upload through the page's script (session cookie and CSRF header),
    correct a field, download; the export form's POST carries the session's CSRF token."""
    member = sign_in_member(page, live_server)
    _upload(page)
    job = OcrJob.objects.get()
    assert job.owner == member
    document = ocr.run(encode(_drawn_receipt()), ocr.OcrOptions(engine="rapid"))
    OcrJob.objects.update(result=document.to_dict())
    page.reload()
    page.fill("input[name=total]", "10.70")
    with page.expect_download() as info:
        page.click("button[value=csv]")
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text())))
    assert ["Total", "10.70"] in rows
    assert_clean(page)
    result_url = page.url
    page.context.clear_cookies()  # another member: the result and its card are not theirs
    other = User.objects.create_user("noor", "noor@example.com", "a-long-enough-password-2")
    client = Client()
    client.force_login(other)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.session.session_key, "url": live_server.url}]
    )
    answer = page.goto(result_url)
    assert answer is not None and answer.status == 404
    assert page.locator("[data-receipt]").count() == 0
