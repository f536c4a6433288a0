"""Several files at once: the API's /ocr/batch and the page's one zip (issue 13 #4)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.tools.models import OcrJob
from tests.tools import engines, images
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db


def png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, images.png(), "image/png")


def test_batch_answers_each_file_and_a_bad_one_stands_alone(client: Client) -> None:
    client.get("/tools/ocr/")
    bad = SimpleUploadedFile("notes.png", b"plain text", "image/png")
    answer = client.post("/api/v1/ocr/batch", {"files": [png("a.png"), bad, png("b.png")]})
    assert answer.status_code == 200, answer.content
    files = answer.json()["files"]
    assert [f["filename"] for f in files] == ["a.png", "notes.png", "b.png"]
    assert files[0]["job"]["status"] == "succeeded" and files[1]["job"] is None
    assert files[1]["error"]["code"] == "unsupported_type"
    assert OcrJob.objects.count() == 2


def test_batch_over_the_limit_is_refused_whole(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_BATCH_MAX_FILES = 2
    answer = client.post("/api/v1/ocr/batch", {"files": [png("a.png"), png("b.png"), png("c.png")]})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "too_many_files"
    assert OcrJob.objects.count() == 0 and file_count(tool_settings) == 0


def test_batch_without_cookies_gives_each_job_a_capability_url() -> None:
    files = (
        Client().post("/api/v1/ocr/batch", {"files": [png("a.png"), png("b.png")]}).json()["files"]
    )
    urls = [f["job"]["url"] for f in files]
    assert len(set(urls)) == 2 and all(u.startswith("/api/v1/ocr/results/") for u in urls)
    assert all(Client().get(u).json()["status"] == "succeeded" for u in urls)


def test_zip_holds_each_result_as_text_and_pdf(client: Client) -> None:
    client.get("/tools/ocr/")
    ids = [
        client.post("/api/v1/ocr", {"file": png(name)}).json()["id"]
        for name in ("a.png", "a.png", "b.png")
    ]
    response = client.get(f"/tools/ocr/batch.zip?ids={','.join(ids)}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "a-2.pdf", "a-2.txt", "a.pdf", "a.txt", "b.pdf", "b.txt"
    ]  # fmt: skip
    assert archive.read("b.txt").decode().split() == engines.TEXT.split()
    assert archive.read("a.pdf").startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("ids", "status"),
    [("", 400), ("not-a-uuid", 400), (",".join(["0" * 32] * 11), 400), ("0" * 32, 404)],
)
def test_zip_refuses_bad_lists_and_others_jobs(client: Client, ids: str, status: int) -> None:
    assert client.get(f"/tools/ocr/batch.zip?ids={ids}").status_code == status


def test_zip_of_someone_elses_job_is_404(client: Client) -> None:
    client.get("/tools/ocr/")
    job_id = client.post("/api/v1/ocr", {"file": png("a.png")}).json()["id"]
    stranger = Client()
    stranger.get("/tools/ocr/")
    assert stranger.get(f"/tools/ocr/batch.zip?ids={job_id}").status_code == 404
