"""The page preview on the result page, in Chromium: shown to its owner from private
storage, never to another visitor and never under /media/ (issue 10, finding 3)."""

from __future__ import annotations

from typing import Any

import pytest

from masthead.tools.models import OcrPageResult
from tests.fixtures.browser import assert_clean
from tests.tools import images
from tests.tools.conftest import tool_settings  # noqa: F401  the scripted engine, private files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_sees_the_preview_and_nobody_else_can_fetch_it(page: Any, browser: Any) -> None:
    page.goto("/tools/ocr/")
    page.set_input_files(
        "#ocr-file",
        files=[{"name": "scan.png", "mimeType": "image/png", "buffer": images.png()}],
    )
    with page.expect_response("**/pages/1.webp") as info:
        page.click("text=Read the text")
    preview = info.value
    assert preview.status == 200 and preview.headers["content-type"] == "image/webp"
    assert "no-store" in preview.headers["cache-control"]
    assert "private" in preview.headers["cache-control"]
    assert_clean(page)

    stored = OcrPageResult.objects.get().preview.name
    stranger = browser.new_context(base_url=page.url.split("/tools/")[0])
    try:
        assert stranger.request.get(preview.url).status == 404
        assert stranger.request.get(f"/media/{stored}").status == 404
    finally:
        stranger.close()
