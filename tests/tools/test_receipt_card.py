"""The receipt card on the result page: shown for receipts only, editable, exported."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead import ocr
from masthead.ocr import pipeline
from masthead.ocr.extract import find_fields
from masthead.tools.models import OcrJob
from tests.ocr.test_receipts import SHOP, _with_total, page
from tests.tools import images

pytestmark = pytest.mark.django_db


def _job_with(client: Client, document: ocr.Document | None) -> str:
    """A finished job of this client's session whose result is ``document``."""
    upload = SimpleUploadedFile("till.png", images.png(), "image/png")
    location = str(client.post("/tools/ocr/", {"file": upload})["Location"])
    if document is not None:
        OcrJob.objects.update(result=document.to_dict())
    return location


def _receipt_document() -> ocr.Document:
    shown = page(SHOP)
    return ocr.Document((shown,), receipt=ocr.find_receipt([shown]))


def test_a_receipt_gets_an_editable_summary_card(client: Client) -> None:
    html = client.get(_job_with(client, _receipt_document())).content.decode()
    assert "data-receipt" in html and 'value="KEDAI BUKU CAHAYA SDN BHD"' in html
    assert 'name="total" value="10.07"' in html and 'name="date" value="2019-01-12"' in html
    assert 'name="item_description" value="NOTEBOOK A5"' in html
    assert html.count('class="receipt-box"') >= 4  # merchant, address, date, total...
    assert "tools/receipt.js" in html


def test_details_found_beside_the_card_leave_out_what_it_shows(client: Client) -> None:
    """The card shows the date and the total; "Details found" keeps the rest (the
    telephone, the cash handed over) instead of repeating them."""
    shown = page(SHOP)
    document = ocr.Document(
        (shown,), fields=find_fields([shown]), receipt=ocr.find_receipt([shown])
    )
    html = client.get(_job_with(client, document)).content.decode()
    found = html[html.index('id="fields-title"') :]
    found = found[: found.index("</section>")]
    assert "<dt>Phone</dt><dd>03-8736 1234" in found and "<dt>Cash</dt>" in found
    assert "12 January 2019" not in found and "10.07" not in found


def test_a_code_written_above_the_receipt_is_shown_as_its_note(client: Client) -> None:
    document = pipeline.assemble([page([("A05030", 20), *SHOP])])
    html = client.get(_job_with(client, document)).content.decode()
    assert 'name="note" value="A05030"' in html
    assert html.count("A05030") == 1  # in the card, not in the text shown beside it


def test_a_total_read_again_is_shown_with_a_warning(client: Client) -> None:
    shown = page(_with_total("TOTAL  RM 16.07"))
    document = ocr.Document((shown,), receipt=ocr.find_receipt([shown]))
    html = client.get(_job_with(client, document)).content.decode()
    assert 'name="total" value="10.07"' in html
    assert "data-receipt-misread" in html and "add up to 10.07" in html


def test_a_page_that_is_no_receipt_has_no_card(client: Client) -> None:
    html = client.get(_job_with(client, None)).content.decode()
    assert "data-receipt" not in html and "receipt.js" not in html


def _export(client: Client, location: str, **extra: Any) -> Any:
    data: dict[str, Any] = {"merchant": "Kedai Buku Cahaya", "total": "10.70", "format": "csv"}
    data |= {"item_description": ["Notebook", "Pen"], "item_amount": ["7.00", "2.50"]}
    data.update(extra)
    return client.post(f"{location}receipt/", data)


def test_csv_export_has_the_corrected_values(client: Client) -> None:
    response = _export(client, _job_with(client, _receipt_document()))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="till-receipt.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Merchant", "Kedai Buku Cahaya"] in rows and ["Total", "10.70"] in rows
    assert ["Pen", "", "", "2.50"] in rows


def test_xlsx_export_has_two_sheets_and_no_formulas(client: Client) -> None:
    location = _job_with(client, _receipt_document())
    response = _export(client, location, format="xlsx", merchant="=HYPERLINK(1)")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Receipt", "Items"]
    values = [[c.value for c in r] for r in book["Receipt"].iter_rows()]
    assert ["Merchant", "'=HYPERLINK(1)"] in values
    assert [c.value for c in next(book["Items"].iter_rows(min_row=3))] == [
        "Pen",
        None,
        None,
        "2.50",
    ]


def test_export_refuses_oversized_input_with_a_clear_400(client: Client) -> None:
    location = _job_with(client, _receipt_document())
    response = _export(client, location, merchant="x" * 501)
    assert response.status_code == 400 and b"at most 500 characters" in response.content
    many = _export(client, location, item_description=["a"] * 41)
    assert many.status_code == 400 and b"at most 40 items" in many.content


def test_export_of_someone_elses_result_is_404(client: Client) -> None:
    location = _job_with(client, _receipt_document())
    assert _export(Client(), location).status_code == 404
    assert _export(client, location, format="exe").status_code == 404


def test_the_api_returns_the_receipt_object(client: Client) -> None:
    location = _job_with(client, _receipt_document())
    job = OcrJob.objects.get()
    data = client.get(f"/api/v1/ocr/jobs/{job.pk}").json()
    assert location and data["result"]["receipt"]["total"]["value"] == "10.07"
