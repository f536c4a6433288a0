"""The receipt card in a real browser: fields outlined on the image, edits downloaded."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from masthead import ocr
from masthead.tools.models import OcrJob
from tests.fixtures.browser import assert_clean
from tests.ocr.drawing import encode
from tests.ocr.test_receipts import _drawn_receipt
from tests.tools.conftest import tool_settings  # noqa: F401  the scripted engine, private MEDIA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("var/screenshots")


def test_receipt_card_outlines_fields_and_downloads_the_edits(
    page: Any,
    tool_settings: Any,  # noqa: F811
) -> None:
    data = encode(_drawn_receipt())
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file", files=[{"name": "till.png", "mimeType": "image/png", "buffer": data}]
    )
    page.click("text=Read the text")
    page.wait_for_url("**/tools/ocr/jobs/*/")
    document = ocr.run(data, ocr.OcrOptions(engine="rapid"))
    assert document.receipt is not None
    OcrJob.objects.update(result=document.to_dict())
    page.reload()
    total = page.locator("input[name=total]")
    assert total.input_value() == "10.07"
    total.focus()
    assert "is-active" in (
        page.locator('[data-receipt-box="total"]').first.get_attribute("class") or ""
    )
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
