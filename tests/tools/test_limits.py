"""Group (a) cases that need more than one file: body size (U11), multipart parts (U12),
huge pages (U14), PDF bombs (U16), animated GIFs (U17), runaway OCR (U26), retention (U27).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from masthead.tools import engines, jobs
from masthead.tools.models import OcrJob, OcrJobStatus, OcrPageResult
from tests.ocr import bombs
from tests.tools import badfiles, images
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db


def _multipart(fields: dict[str, Any]) -> bytes:
    return encode_multipart(BOUNDARY, fields)


@pytest.mark.parametrize("url", ["/api/v1/ocr", "/tools/ocr/"])
def test_declared_gigabyte_is_refused_before_the_body_is_read(
    client: Client, tool_settings: Any, url: str
) -> None:
    body = _multipart({"file": SimpleUploadedFile("a.png", images.png(), "image/png")})
    before = file_count(tool_settings)
    response = client.generic("POST", url, body, MULTIPART_CONTENT, CONTENT_LENGTH="1073741824")
    assert response.status_code == 413
    assert b"file_too_large" in response.content
    assert file_count(tool_settings) == before and OcrJob.objects.count() == 0


@pytest.mark.parametrize("url", ["/api/v1/ocr", "/tools/ocr/"])
def test_body_growing_past_the_limit_is_stopped(
    client: Client, tool_settings: Any, url: str
) -> None:
    tool_settings.MASTHEAD_OCR_MAX_BYTES = 100_000
    data = images.noisy_png(400, 400)  # ~160 KB, declared honestly but over the limit
    assert 100_000 < len(data) < 100_000 + 64 * 1024
    before = file_count(tool_settings)
    response = client.post(url, {"file": SimpleUploadedFile("big.png", data, "image/png")})
    assert response.status_code == 413
    assert b"file_too_large" in response.content
    assert file_count(tool_settings) == before and OcrJob.objects.count() == 0


def test_thousand_file_parts_are_refused(client: Client) -> None:
    fields = {f"file{n}": SimpleUploadedFile(f"{n}.png", b"x", "image/png") for n in range(1000)}
    response = client.post("/api/v1/ocr", fields)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_ten_thousand_fields_are_refused(client: Client) -> None:
    fields: dict[str, Any] = {f"f{n}": "x" for n in range(10_000)}
    fields["file"] = SimpleUploadedFile("a.png", images.png(), "image/png")
    response = client.post("/api/v1/ocr", fields)
    assert response.status_code == 400
    assert OcrJob.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (  # U14: queued path (a PDF), refused from its page box before a job exists
            "poster.pdf",
            badfiles.big_mediabox_pdf(),
            "Page 1 would be 14400 x 14400 pixels even at 72 dpi",
        ),
        (  # queued path (several pages): refused from the TIFF frame headers
            "scan.tiff",
            bombs.tiff_sizes([(8, 8), (10_000, 10_000)]),
            "Page 2 is 10000 x 10000 pixels",
        ),
        (  # synchronous small-image path: a GIF frame larger than its 10 x 10 screen
            "frame.gif",
            bombs.gif_frame((10, 10), (20_000, 20_000)),
            "The image is 20000 x 20000 pixels",
        ),
        (  # synchronous small-image path: a JPEG frame header
            "photo.jpg",
            bombs.with_jpeg_size(images.jpeg(), 7_000, 7_000),
            "The image is 7000 x 7000 pixels",
        ),
    ],
    ids=["pdf-page-box", "tiff-frame", "gif-frame", "jpeg-header"],
)
def test_page_over_the_pixel_cap_is_refused_at_upload_with_413(
    client: Client, tool_settings: Any, name: str, data: bytes, message: str
) -> None:
    before = file_count(tool_settings)
    response = client.post("/api/v1/ocr", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "image_too_large" and error["message"].startswith(message)
    assert file_count(tool_settings) == before and OcrJob.objects.count() == 0


def test_big_pdf_page_is_rendered_within_the_pixel_cap(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_MAX_PIXELS = 4_000_000
    pdf = bombs.pages_pdf([(1_000, 1_000)])  # 17 MP at 300 dpi: rendered at about 144 dpi
    response = client.post(
        "/api/v1/ocr", {"file": SimpleUploadedFile("big.pdf", pdf, "application/pdf")}
    )
    assert response.status_code == 202
    job = OcrJob.objects.get()
    assert job.status == OcrJobStatus.SUCCEEDED, job.message
    page = (job.result or {})["pages"][0]
    assert page["width"] * page["height"] <= 4_000_000 and 140 <= page["dpi"] <= 144


def test_nested_flate_pdf_does_not_hang(client: Client) -> None:
    started = time.perf_counter()
    response = client.post(
        "/api/v1/ocr",
        {"file": SimpleUploadedFile("nest.pdf", badfiles.nested_flate_pdf(), "application/pdf")},
    )
    assert time.perf_counter() - started < 10
    assert response.status_code in (202, 422)
    assert OcrJob.objects.filter(status__in=["queued", "running"]).count() == 0


def test_animated_gif_reads_only_the_first_frame(client: Client) -> None:
    gif = badfiles.animated_gif(10_000)
    response = client.post(
        "/api/v1/ocr", {"file": SimpleUploadedFile("anim.gif", gif, "image/gif")}
    )
    assert response.status_code in (200, 202)
    job = OcrJob.objects.get()
    assert job.pages_total == 1 and job.status == OcrJobStatus.SUCCEEDED


def test_runaway_page_ends_failed_with_ocr_timeout(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_ENGINE_FACTORY = "tests.tools.engines.overrun"
    response = client.post(
        "/api/v1/ocr", {"file": SimpleUploadedFile("p.pdf", images.pdf(2), "application/pdf")}
    )
    assert response.status_code == 202
    job = OcrJob.objects.get()
    assert (job.status, job.code) == (OcrJobStatus.FAILED, "ocr_timeout")
    assert not job.source


def test_crashing_engine_is_retried_then_fails_the_job(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_ENGINE_FACTORY = "tests.tools.engines.crashing"
    response = client.post(
        "/api/v1/ocr", {"file": SimpleUploadedFile("p.pdf", images.pdf(2), "application/pdf")}
    )
    assert response.status_code == 202
    job = OcrJob.objects.get()
    assert (job.status, job.code) == (OcrJobStatus.FAILED, "engine_crashed")
    engine = engines.engine_for_site()
    assert getattr(engine, "calls", 0) >= 3  # the first try and two retries


def test_files_are_deleted_within_an_hour_of_the_job_ending(
    client: Client, tool_settings: Any
) -> None:
    response = client.post(
        "/api/v1/ocr", {"file": SimpleUploadedFile("p.pdf", images.pdf(2), "application/pdf")}
    )
    job = OcrJob.objects.get(pk=response.json()["id"])
    assert job.status == OcrJobStatus.SUCCEEDED and not job.source  # the upload went at once
    assert file_count(tool_settings) == 3  # two page previews and the searchable PDF
    jobs.ocr_sweep()
    assert file_count(tool_settings) == 3  # still fresh
    OcrJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(minutes=56))
    jobs.ocr_sweep()
    assert file_count(tool_settings) == 1  # the PDF stays as long as the result
    assert not OcrPageResult.objects.exclude(preview="").exists()
    OcrJob.objects.all().delete()  # the purge, a delete or the member's account going
    assert file_count(tool_settings) == 0
