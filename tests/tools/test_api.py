"""The JSON API: sync and async answers, ownership, keys, limits, and the one envelope."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from masthead import ocr
from masthead.api import api, error_to_envelope
from masthead.errors import APP_ERROR_CODES, OCR_STATUS, MastheadError
from masthead.ocr.errors import ERROR_CLASSES
from masthead.tools import services
from masthead.tools.models import ApiKey, OcrJob
from tests.tools import engines, images

pytestmark = pytest.mark.django_db


def upload(
    name: str = "page.png", data: bytes | None = None, kind: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, images.png() if data is None else data, kind)


def member(name: str) -> User:
    return User.objects.create_user(name, f"{name}@example.com", "a-long-enough-password-1")


def test_small_image_is_answered_at_once_with_the_text(client: Client) -> None:
    response = client.post("/api/v1/ocr", {"file": upload(), "format": "text"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["status"] == "succeeded"
    assert body["result"].split() == engines.TEXT.split()
    assert body["result_encoding"] == "utf-8"


def test_pdf_is_queued_and_the_job_reports_progress_and_result(client: Client) -> None:
    response = client.post(
        "/api/v1/ocr", {"file": upload("doc.pdf", images.pdf(3), "application/pdf")}
    )
    assert response.status_code == 202
    job = client.get(response.json()["url"]).json()
    assert job["progress"] == {"pages_done": 3, "pages_total": 3}
    assert [page["number"] for page in job["result"]["pages"]] == [1, 2, 3]


@pytest.mark.parametrize("fmt", sorted(ocr.FORMATS))
def test_every_format_is_offered(client: Client, fmt: str) -> None:
    response = client.post("/api/v1/ocr", {"file": upload(), "format": fmt})
    body = response.json()
    assert body["format"] == fmt and body["result"]
    expected = None if fmt == "json" else ("base64" if ocr.FORMATS[fmt].binary else "utf-8")
    assert body["result_encoding"] == expected


def test_a_job_is_visible_only_to_its_owner() -> None:
    alice, bob = member("alice"), member("bob")
    a, b, anonymous = Client(), Client(), Client()
    a.force_login(alice)
    b.force_login(bob)
    url = a.post("/api/v1/ocr", {"file": upload()}).json()["url"]
    assert a.get(url).status_code == 200
    for other in (b, anonymous):
        response = other.get(url)
        assert response.status_code == 404
        assert response.json() == {
            "ok": False,
            "status": 404,
            "error": {"code": "not_found", "message": "There is no such result."},
        }
    _, bob_token = services.api_key_create(member=bob, name="bob's script")
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {bob_token}").status_code == 404
    _, alice_token = services.api_key_create(member=alice, name="alice's script")
    assert Client().get(url, HTTP_AUTHORIZATION=f"Bearer {alice_token}").status_code == 200


def test_anonymous_jobs_belong_to_their_session(client: Client) -> None:
    client.get("/tools/ocr/")  # a browser has the page's cookie when it posts
    answer = client.post("/api/v1/ocr", {"file": upload()}).json()
    assert client.get(answer["url"]).status_code == 200
    assert Client().get(answer["url"]).status_code == 404
    assert client.get(answer["html_url"]).status_code == 200  # the same browser's page


def test_a_caller_without_cookies_gets_a_capability_url_it_can_poll() -> None:
    answer = Client().post("/api/v1/ocr", {"file": upload()}).json()
    url = answer["url"]
    assert url.startswith("/api/v1/ocr/results/") and str(answer["id"]) not in url
    token = url.rsplit("/", 1)[-1]
    assert len(token) >= 43 and OcrJob.objects.get().capability != token  # stored hashed
    polled = Client().get(url)  # another cookie-less request, by the URL alone
    assert polled.status_code == 200 and polled.json()["status"] == "succeeded"
    assert answer["html_url"] is None and polled.json()["html_url"] is None  # no page for it
    assert Client().get(f"/api/v1/ocr/jobs/{answer['id']}").status_code == 404
    assert Client().get(url[:-2] + "xx").status_code == 404
    assert Session.objects.count() == 0  # no session row per script call


def test_a_capability_url_of_a_deleted_job_is_404() -> None:
    url = Client().post("/api/v1/ocr", {"file": upload()}).json()["url"]
    OcrJob.objects.all().delete()
    answer = Client().get(url)
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


def test_api_key_submits_as_its_member_and_revoked_keys_fail() -> None:
    alice = member("alice")
    key, token = services.api_key_create(member=alice, name="ci")
    stored = ApiKey.objects.get()
    assert token not in (stored.hashed_key, stored.prefix + "x") and len(stored.hashed_key) == 64
    client = Client()
    response = client.post("/api/v1/ocr", {"file": upload()}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert OcrJob.objects.get().owner == alice
    assert response.json()["html_url"] is None  # the page is for a signed-in browser
    services.api_key_revoke(member=alice, key_id=key.pk)
    response = client.post("/api/v1/ocr", {"file": upload()}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_session_member_post_needs_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member("alice"))
    response = client.post("/api/v1/ocr", {"file": upload()})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert OcrJob.objects.count() == 0


def test_rate_limit_answers_429_with_retry_after(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_RATE_ANON = 2
    statuses = [client.post("/api/v1/ocr", {"file": upload()}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.post("/api/v1/ocr", {"file": upload()})
    assert response.json()["error"]["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= tool_settings.MASTHEAD_OCR_RATE_WINDOW


def test_rate_limit_counts_per_ip_across_sessions(tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_RATE_ANON = 1
    assert Client().post("/api/v1/ocr", {"file": upload()}).status_code == 200
    assert Client().post("/api/v1/ocr", {"file": upload()}).status_code == 429


def test_member_and_key_limits_are_their_own(tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_RATE_ANON = 0
    tool_settings.MASTHEAD_OCR_RATE_MEMBER = 1
    alice = member("alice")
    client = Client()
    client.force_login(alice)
    assert client.post("/api/v1/ocr", {"file": upload()}).status_code == 200
    assert client.post("/api/v1/ocr", {"file": upload()}).status_code == 429
    _, token = services.api_key_create(member=alice, name="ci")
    keyed = Client().post("/api/v1/ocr", {"file": upload()}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert keyed.status_code == 200


def test_full_queue_answers_503_busy(client: Client, tool_settings: Any) -> None:
    tool_settings.MASTHEAD_OCR_QUEUE_CAP = 0
    response = client.post("/api/v1/ocr", {"file": upload()})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
    assert int(response["Retry-After"]) > 0


def test_unknown_format_is_a_400_envelope(client: Client) -> None:
    response = client.post("/api/v1/ocr", {"file": upload(), "format": "rtf"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


def test_every_library_error_code_has_a_status() -> None:
    assert set(ocr.ERROR_CODES) <= set(OCR_STATUS)


def _instance(cls: type[ocr.OcrError]) -> ocr.OcrError:
    error = cls.__new__(cls)
    ocr.OcrError.__init__(error, f"message for {cls.code}")
    return error


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda cls: cls.__name__)
def test_every_library_error_leaves_as_the_envelope(cls: type[ocr.OcrError]) -> None:
    response = error_to_envelope(RequestFactory().post("/api/v1/ocr"), _instance(cls))
    status = OCR_STATUS[cls.code]
    assert response.status_code == status and 400 <= status < 600
    import json

    assert json.loads(response.content) == {
        "ok": False,
        "status": status,
        "error": {"code": cls.code, "message": f"message for {cls.code}"},
    }
    assert ("Retry-After" in response) == (status == 503)


@pytest.mark.parametrize("code", sorted(APP_ERROR_CODES))
def test_every_app_error_leaves_as_the_envelope(code: str) -> None:
    status = APP_ERROR_CODES[code]
    error = MastheadError(
        code, "why", status=status, retry_after=5 if status in (429, 503) else None
    )
    response = error_to_envelope(RequestFactory().get("/api/"), error)
    import json

    assert json.loads(response.content) == {
        "ok": False,
        "status": status,
        "error": {"code": code, "message": "why"},
    }


def test_every_error_code_is_documented_in_the_schema() -> None:
    description = api.get_openapi_schema()["info"]["description"]
    for code in [*OCR_STATUS, *APP_ERROR_CODES, "invalid_request"]:
        assert f"`{code}`" in description, code


def test_api_docs_load_nothing_from_other_hosts(client: Client) -> None:
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "https://" not in html.replace("https://schema.org", "")
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Masthead API"


def test_languages_lists_the_installed_ones_by_name(client: Client) -> None:
    response = client.get("/api/v1/ocr/languages")
    assert response.status_code == 200
    listed = response.json()["languages"]
    english = next(lang for lang in listed if lang["code"] == "eng")
    assert english["name"] == "English" and english["script"] == "Latn" and english["engines"]
    assert [lang["code"] for lang in listed] == [lang.code for lang in ocr.languages.installed()]


def test_unknown_language_is_refused_before_anything_is_stored(
    client: Client, tool_settings: Any
) -> None:
    response = client.post("/api/v1/ocr", {"file": upload(), "languages": "eng,xyz"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "language_unknown"
    assert not OcrJob.objects.exists()


def test_missing_language_pack_is_422_naming_the_package(
    client: Client, tool_settings: Any
) -> None:
    from tests.ocr.test_languages import missing_language

    tool_settings.MASTHEAD_OCR_ENGINE_FACTORY = ""
    tool_settings.MASTHEAD_OCR_ENGINE = "auto"
    code = missing_language()
    response = client.post("/api/v1/ocr", {"file": upload(), "languages": code})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "language_unavailable"
    assert f"apt-get install tesseract-ocr-{code}" in error["message"]
    assert not OcrJob.objects.exists()


def test_fifty_language_codes_are_refused(client: Client) -> None:
    codes = ",".join(sorted(ocr.languages._KNOWN)[:50])
    response = client.post("/api/v1/ocr", {"file": upload(), "languages": codes})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_languages"
    assert not OcrJob.objects.exists()
