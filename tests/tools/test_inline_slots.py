"""Small images are read in the request only while this process has a free slot
(issue 10 finding 9, ADR 0408); otherwise they are queued like any other file.

Deterministic: the test holds the slot itself, then uploads. The queued job is run by the
in-process (eager) worker of the test settings, so the job URL ends with the result.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.tools import services
from masthead.tools.models import OcrJob
from tests.tools import images

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    return SimpleUploadedFile("page.png", images.png(), "image/png")


def test_small_image_is_queued_while_the_slot_is_taken(client: Client) -> None:
    client.get("/tools/ocr/")  # a browser's session, not a cookie-less script
    with services.inline_slot() as taken:  # another request of this process is reading
        assert taken
        response = client.post("/api/v1/ocr", {"file": png()})
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "queued" and job["result"] is None
    assert job["url"] == f"/api/v1/ocr/jobs/{job['id']}"
    done = client.get(job["url"]).json()  # the worker read it, not the request
    assert done["status"] == "succeeded" and done["result"]["pages"]


def test_small_image_is_read_in_the_request_when_a_slot_is_free(client: Client) -> None:
    response = client.post("/api/v1/ocr", {"file": png()})
    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert services.INLINE_SLOTS.busy == 0


def test_the_slot_is_given_back_after_a_refused_file(client: Client) -> None:
    bad = SimpleUploadedFile("bad.png", images.png()[:200], "image/png")  # truncated
    response = client.post("/api/v1/ocr", {"file": bad})
    assert 400 <= response.status_code < 500, response.content
    assert services.INLINE_SLOTS.busy == 0
    assert client.post("/api/v1/ocr", {"file": png()}).status_code == 200


def test_more_slots_let_more_requests_read(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_SYNC_SLOTS = 2
    with services.inline_slot() as taken:
        assert taken
        assert client.post("/api/v1/ocr", {"file": png()}).status_code == 200


def test_no_slots_send_every_file_to_the_queue(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_SYNC_SLOTS = 0
    response = client.post("/api/v1/ocr", {"file": png()})
    assert response.status_code == 202 and response.json()["status"] == "queued"


def test_form_post_while_busy_lands_on_the_result_page(client: Client) -> None:
    with services.inline_slot():
        response = client.post("/tools/ocr/", {"file": png()})
    job = OcrJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tools/ocr/jobs/{job.pk}/"
    assert client.get(response["Location"]).status_code == 200


def _threads_seen(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The thread count of every page the site reads (the real reader still runs)."""
    from masthead import ocr

    seen: list[int] = []
    real = ocr.run_page

    def run_page(image: Any, options: Any, engine: Any = None) -> Any:
        seen.append(options.threads)
        return real(image, options, engine)

    monkeypatch.setattr(ocr, "run_page", run_page)
    return seen


def test_a_read_in_the_request_uses_the_sync_threads(
    client: Client, tool_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The visitor waits for an in-request read: it gets MASTHEAD_OCR_SYNC_THREADS (ADR 0414);
    a queued page keeps MASTHEAD_OCR_THREADS."""
    tool_settings.MASTHEAD_OCR_SYNC_THREADS, tool_settings.MASTHEAD_OCR_THREADS = 3, 1
    seen = _threads_seen(monkeypatch)
    assert client.post("/api/v1/ocr", {"file": png()}).json()["status"] == "succeeded"
    with services.inline_slot():
        assert client.post("/api/v1/ocr", {"file": png()}).status_code == 202
    assert seen == [3, 1]
