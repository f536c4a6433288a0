"""Tool pages, the no-JavaScript flow, results, downloads, sharing, keys and the sitemap."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from masthead import ocr
from masthead.members import sections
from masthead.tools import jobs, registry
from masthead.tools.models import ApiKey, OcrJob
from masthead.tools.sitemaps import ToolSitemap
from tests.tools import engines, images
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db


def post_file(client: Client, data: bytes | None = None, name: str = "page.png") -> Any:
    return client.post(
        "/tools/ocr/", {"file": SimpleUploadedFile(name, data or images.png(), "image/png")}
    )


def test_tool_list_shows_every_tool(client: Client) -> None:
    html = client.get("/tools/").content.decode()
    for tool in registry.all_tools():
        assert tool.name in html and f'href="{tool.url}"' in html


def test_ocr_page_explains_limits_privacy_and_faq_with_json_ld(client: Client) -> None:
    response = client.get("/tools/ocr/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "deleted" in html and "20 MB" in html and "Questions" in html
    data = json.loads(
        html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    )
    assert data[0]["@type"] == "WebApplication" and data[1]["@type"] == "FAQPage"
    assert 'enctype="multipart/form-data"' in html and 'name="csrfmiddlewaretoken"' in html


def test_form_post_without_javascript_lands_on_the_result(client: Client) -> None:
    response = post_file(client)
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = result.content.decode()
    assert result.status_code == 200
    assert html.count('class="ocr-box"') == 2  # both lines outlined
    assert "Hello Masthead reader" in html and 'data-line="p1l1"' in html
    assert 'name="robots" content="noindex"' in html


def test_form_error_is_shown_inline_with_its_status(client: Client) -> None:
    response = post_file(client, data=b"not an image at all", name="x.png")
    assert response.status_code == 415
    assert 'data-code="unsupported_type"' in response.content.decode()


def test_pending_result_refreshes_itself(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_SYNC_MAX_BYTES = 0
    session = client.session
    session["ocr"] = True
    session.save()
    job = OcrJob.objects.create(session_key=session.session_key or "", pages_total=3, pages_done=1)
    html = client.get(f"/tools/ocr/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html and "1 of 3 pages done" in html


@pytest.mark.parametrize("fmt", sorted(ocr.FORMATS))
def test_downloads_are_attachments_in_every_format(client: Client, fmt: str) -> None:
    location = post_file(client)["Location"]
    response = client.get(f"{location}download/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == ocr.FORMATS[fmt].media_type


def test_preview_is_served_to_the_owner_only(client: Client) -> None:
    location = post_file(client)["Location"]
    assert client.get(f"{location}pages/1.webp")["Content-Type"] == "image/webp"
    assert Client().get(f"{location}pages/1.webp").status_code == 404


def test_share_link_is_text_only_noindex_and_expires(client: Client) -> None:
    location = post_file(client)["Location"]
    client.post(f"{location}share/")
    job = OcrJob.objects.get()
    shared = Client().get(f"/tools/ocr/shared/{job.share_token}/")
    assert shared.status_code == 200 and shared["X-Robots-Tag"] == "noindex, nofollow"
    assert engines.TEXT.split("\n")[0] in shared.content.decode()
    assert "pages/1.webp" not in shared.content.decode()
    OcrJob.objects.filter(pk=job.pk).update(share_expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(f"/tools/ocr/shared/{job.share_token}/").status_code == 404


def test_owner_can_delete_a_result_with_its_files(client: Client, tool_settings: Any) -> None:
    location = post_file(client)["Location"]
    asked = client.post(f"{location}delete/")  # the button asks first
    assert asked.status_code == 200 and "Delete this result?" in asked.content.decode()
    assert OcrJob.objects.count() == 1
    gone = client.post(f"{location}delete/", {"confirm": "yes"}, follow=True)
    assert "The result was deleted." in gone.content.decode()
    assert OcrJob.objects.count() == 0
    assert file_count(tool_settings) == 0


def test_share_answers_a_script_with_the_section_and_a_form_with_a_redirect(
    client: Client,
) -> None:
    location = post_file(client)["Location"]
    section = client.post(f"{location}share/", HTTP_X_REQUESTED_WITH="fetch")
    token = OcrJob.objects.get().share_token
    assert section.status_code == 200 and f"/tools/ocr/shared/{token}/" in section.content.decode()
    assert "data-ocr-copy" in section.content.decode()
    redirect = client.post(f"{location}share/", {"action": "stop"})
    assert redirect["Location"].endswith("#share") and OcrJob.objects.get().share_token is None


def test_member_history_keys_and_export(client: Client) -> None:
    user = User.objects.create_user("ann", "ann@example.com", "a-long-enough-password-1")
    client.force_login(user)
    post_file(client)
    keys = {section.key for section in sections.sections()}
    assert {"ocr-history", "api-keys"} <= keys
    created = client.post("/tools/api-keys/", {"name": "laptop"})
    assert created.status_code == 200 and b"mh_" in created.content
    key = ApiKey.objects.get()
    assert client.post(f"/tools/api-keys/{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    exported = sections.exporters()["ocr"](user)
    assert exported["jobs"][0]["text"].split() == engines.TEXT.split()
    user.delete()
    assert OcrJob.objects.count() == 0 and ApiKey.objects.count() == 0


def test_retention_purges_old_results(client: Client, tool_settings: Any) -> None:
    post_file(client)
    OcrJob.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert jobs.ocr_purge() == 1
    assert OcrJob.objects.count() == 0


def test_sitemap_lists_the_tools() -> None:
    locations = [ToolSitemap().location(item) for item in ToolSitemap().items()]
    assert "/tools/" in locations and "/tools/ocr/" in locations


def test_card_is_a_compact_upload_form() -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/blog/post/")
    html = render_to_string("tools/_card.html", {"tool": registry.get("ocr")}, request=request)
    assert 'action="/tools/ocr/"' in html and "csrfmiddlewaretoken" in html
    assert "ocr-form--compact" in html and 'type="file"' in html


def test_tools_appear_in_the_sitemap_index(client: Client, tool_settings: Any) -> None:
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-tools.xml" in index
    section = client.get("/sitemap-tools.xml").content.decode()
    assert f"{tool_settings.SITE_URL}/tools/ocr/" in section


def test_account_page_shows_history_and_api_keys(client: Client) -> None:
    user = User.objects.create_user("bea", "bea@example.com", "a-long-enough-password-1")
    client.force_login(user)
    post_file(client, name="menu.png")
    html = client.get("/accounts/").content.decode()
    assert "OCR history" in html and "menu.png" in html
    assert "API keys" in html and 'action="/tools/api-keys/"' in html


def test_a_failed_result_cannot_be_shared(client: Client) -> None:
    response = post_file(client, data=images.pdf(1), name="scan.png")
    job = OcrJob.objects.get()
    OcrJob.objects.filter(pk=job.pk).update(status="failed", code="corrupt_pdf", result=None)
    assert client.post(f"{response['Location']}share/").status_code == 302
    job.refresh_from_db()
    assert job.share_token is None
