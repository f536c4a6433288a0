"""RELIABILITY group (a) through the web form and the JSON API.

Every bad file gets its documented 4xx code, leaves no row and no file behind, and is
refused quickly with little memory; every good-but-odd file (the content decides) is read.
"""

from __future__ import annotations

import time
import tracemalloc
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.ocr import load, pdf_pages, pipeline  # noqa: F401  imported before measuring
from masthead.tools.models import OcrJob, OcrJobStatus
from tests.tools import badfiles
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db

CASES = badfiles.cases()
INTERFACES = ("api", "web")


def submit(
    client: Client, interface: str, name: str, content_type: str, data: bytes
) -> tuple[int, str, Any]:
    """Post through one interface; returns (status, error code or "", response)."""
    upload = SimpleUploadedFile(name, data, content_type)
    if interface == "api":
        response = client.post("/api/v1/ocr", {"file": upload})
        body = response.json()
        return (
            response.status_code,
            body.get("error", {}).get("code", "") if not body["ok"] else "",
            response,
        )
    response = client.post("/tools/ocr/", {"file": upload})
    html = response.content.decode()
    code = ""
    if 'data-code="' in html:
        code = html.split('data-code="', 1)[1].split('"', 1)[0]
    return response.status_code, code, response


@pytest.mark.parametrize("interface", INTERFACES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gets_documented_code_and_leaves_nothing(
    client: Client, tool_settings: Any, interface: str, case: str
) -> None:
    name, content_type, build, expected = CASES[case]
    data = build()
    submit(client, interface, "warm-up.png", "image/png", b"")  # imports outside the measurement
    files_before, rows_before = file_count(tool_settings), OcrJob.objects.count()
    tracemalloc.start()
    started = time.perf_counter()
    status, code, _response = submit(client, interface, name, content_type, data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if expected is None:
        assert status in (200, 202, 302), (status, code)
        job = OcrJob.objects.get()
        assert job.status == OcrJobStatus.SUCCEEDED, (job.code, job.message)
        assert "/" not in job.filename and "\x00" not in job.filename and len(job.filename) <= 100
        assert "\u202e" not in job.filename
        previews = len([p for p in job.page_results.all() if p.preview])
        assert file_count(tool_settings) == previews + bool(job.searchable_pdf)  # pages + PDF
        return
    if case in badfiles.ASYNC_FAILURES:
        assert status in (202, 302)
        job = OcrJob.objects.get()
        assert (job.status, job.code) == (OcrJobStatus.FAILED, expected[1])
        assert not job.source and file_count(tool_settings) == files_before
        return
    assert (status, code) == expected
    assert OcrJob.objects.count() == rows_before
    assert file_count(tool_settings) == files_before
    assert elapsed < 5, f"{case} took {elapsed:.1f}s"
    assert peak < 100 * 1024**2, f"{case} peaked at {peak / 1e6:.0f} MB"
