"""Downloads as a reader gets them: the searchable PDF shows the pages and carries their
text where it is; Word and Excel open; one page alone; the upload still goes."""

from __future__ import annotations

import io
from typing import Any

import docx
import openpyxl
import pypdfium2 as pdfium
import pytest
from django.test import Client

from masthead.tools import jobs
from masthead.tools.models import OcrJob
from masthead.tools.storage import ocr_files
from tests.tools import engines, images

pytestmark = pytest.mark.django_db


def submit(client: Client, name: str, data: bytes, mime: str) -> OcrJob:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.get("/tools/ocr/")
    answer = client.post("/api/v1/ocr", {"file": SimpleUploadedFile(name, data, mime)})
    assert answer.status_code in (200, 202), answer.content
    return OcrJob.objects.get(pk=answer.json()["id"])


def page_one(pdf: bytes) -> tuple[str, float, tuple[float, float]]:
    """Page 1's extracted text, its share of dark pixels when rendered, its size."""
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage().get_text_range()
    bitmap = page.render(scale=1).to_pil().convert("L")
    histogram = bitmap.histogram()
    dark = sum(histogram[:128]) / (bitmap.width * bitmap.height)
    return text, dark, (page.get_width(), page.get_height())


def download(client: Client, job: OcrJob, fmt: str, query: str = "") -> bytes:
    response = client.get(f"/tools/ocr/jobs/{job.pk}/download/{fmt}/{query}")
    assert response.status_code == 200, response.content[:200]
    return response.content


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_searchable_pdf_shows_the_page_with_its_text_layer(client: Client, kind: str) -> None:
    data, mime = (
        (images.png(), "image/png") if kind == "png" else (images.pdf(2), "application/pdf")
    )
    job = submit(client, f"scan.{kind}", data, mime)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.searchable_pdf and not job.source
    text, dark, _size = page_one(download(client, job, "pdf"))
    assert text.split() == engines.TEXT.split()
    assert dark > 0.01, "page 1 renders blank: the page image is missing"
    assert "Hello" in text and text.index("Hello") < text.index("Invoice")


def test_the_text_layer_sits_over_the_printed_words(client: Client) -> None:
    job = submit(client, "scan.png", images.png(), "image/png")
    document = pdfium.PdfDocument(download(client, job, "pdf"))
    page = document[0]
    textpage = page.get_textpage()
    width, height = page.get_width(), page.get_height()
    left, bottom, _right, top = textpage.get_charbox(0)  # the "H" of "Hello"
    # scripted line 1 is at x 5-75 %, y 15-35 % of the page from the top (PDF y runs up)
    assert 0.03 * width < left < 0.10 * width
    assert 0.60 * height < bottom < top < 0.90 * height


def test_pdf_is_made_while_the_upload_exists_and_outlives_it(
    client: Client, tool_settings: Any
) -> None:
    job = submit(client, "scan.png", images.png(), "image/png")
    job.refresh_from_db()
    assert job.searchable_pdf and not job.source
    assert not any(ocr_files().listdir("ocr/uploads")[1])
    jobs.ocr_sweep()  # previews go within the hour; the PDF stays with the result
    assert ocr_files().exists(job.searchable_pdf.name or "")
    client.post(f"/tools/ocr/jobs/{job.pk}/delete/", {"confirm": "yes"})
    assert not ocr_files().exists(job.searchable_pdf.name or "")


def test_docx_and_xlsx_downloads_open(client: Client) -> None:
    job = submit(client, "receipt.png", images.png(), "image/png")
    word = docx.Document(io.BytesIO(download(client, job, "docx")))
    assert [p.text for p in word.paragraphs if p.text] == [engines.TEXT]
    book = openpyxl.load_workbook(io.BytesIO(download(client, job, "xlsx")))
    rows = [[c.value for c in row] for row in book["Details"].iter_rows()]
    assert ["Invoice total", "42.50 EUR", "1"] in rows


def test_one_page_of_a_pdf_as_text(client: Client) -> None:
    job = submit(client, "scan.pdf", images.pdf(3), "application/pdf")
    body = download(client, job, "text", "?page=2").decode()
    assert body.split() == engines.TEXT.split()
    response = client.get(f"/tools/ocr/jobs/{job.pk}/download/text/?page=2")
    assert 'filename="scan-page-2.txt"' in response["Content-Disposition"]


@pytest.mark.parametrize("page", ["9", "0", "-1", "x", "1e3", "٣"])
def test_a_page_that_does_not_exist_is_404(client: Client, page: str) -> None:
    job = submit(client, "scan.pdf", images.pdf(3), "application/pdf")
    response = client.get(f"/tools/ocr/jobs/{job.pk}/download/text/?page={page}")
    assert response.status_code == 404
