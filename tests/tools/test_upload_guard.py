"""Upload size checks before the body is read, for every caller and both upload endpoints
(issue 10 finding 2, RELIABILITY U11, ADR 0404), through Django's client with CSRF checks on.

A member's browser posts to the API with its session cookie and the ``X-CSRFToken``
header; the form posts its token in the body. The size check runs before either CSRF
check reads the body, so a declared 200 MB body is refused with no byte of it read.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import resolve, reverse

from masthead.tools import services
from masthead.tools.middleware import UPLOAD_VIEWS
from masthead.tools.models import OcrJob
from masthead.tools.uploads import MULTIPART_SLACK
from tests.tools import engines, images
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db

DECLARED = 200 * 1024 * 1024
ENDPOINTS = ["/api/v1/ocr", "/api/v1/ocr/batch", "/tools/ocr/"]
READ_CHUNK = 64 * 1024  # the spool reads a chunked body this much at a time


class CountingInput(io.RawIOBase):
    """A request body that counts what the server reads of it; ``endless`` never ends."""

    def __init__(self, data: bytes = b"", *, endless: bool = False) -> None:
        self.data, self.endless, self.read_bytes = data, endless, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.endless:
            size = len(buffer)
            buffer[:size] = b"x" * size
        else:
            size = min(len(buffer), len(self.data) - self.read_bytes)
            buffer[:size] = self.data[self.read_bytes : self.read_bytes + size]
        self.read_bytes += size
        return size


def member() -> User:
    return User.objects.create_user("mia", "mia@example.com", "a-long-enough-password-1")


def csrf_client(user: User | None) -> tuple[Client, str]:
    """A browser-like client: CSRF enforced, the token from the tool page's cookie."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get("/tools/ocr/")
    return client, client.cookies["csrftoken"].value


def anonymous() -> tuple[Client, dict[str, Any]]:
    client, token = csrf_client(None)
    return client, {"HTTP_X_CSRFTOKEN": token}


def session_member() -> tuple[Client, dict[str, Any]]:
    client, token = csrf_client(member())
    return client, {"HTTP_X_CSRFTOKEN": token}


def api_key() -> tuple[Client, dict[str, Any]]:
    _, token = services.api_key_create(member=member(), name="script")
    return Client(enforce_csrf_checks=True), {"HTTP_AUTHORIZATION": f"Bearer {token}"}


CALLERS: dict[str, Callable[[], tuple[Client, dict[str, Any]]]] = {
    "anonymous": anonymous,
    "member-session-csrf": session_member,
    "api-key": api_key,
}


def raw_post(client: Client, url: str, body: CountingInput, length: str, **extra: Any) -> Any:
    """POST ``body`` as a stream the test can watch; ``length`` "" sends it unsized (chunked)."""
    environ: dict[str, Any] = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": length,
        "wsgi.input": body,
    }
    if not length:
        environ["wsgi.input_terminated"] = True  # what gunicorn says of a chunked body
    return client.generic("POST", url, b"", **environ, **extra)


def png_body(token: str = "") -> bytes:
    fields: dict[str, Any] = {"csrfmiddlewaretoken": token} if token else {}
    fields["file"] = SimpleUploadedFile("page.png", images.png(), "image/png")
    return encode_multipart(BOUNDARY, fields)


def test_member_upload_with_session_and_csrf_header_is_read() -> None:
    """What ocr.js sends for a signed-in member: session cookie + X-CSRFToken (was a 500)."""
    client, token = csrf_client(member())
    response = client.post(
        "/api/v1/ocr",
        {"file": SimpleUploadedFile("page.png", images.png(), "image/png"), "format": "text"},
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"].split() == engines.TEXT.split()
    assert OcrJob.objects.get().owner is not None


def test_member_form_post_with_its_csrf_token_lands_on_the_result() -> None:
    client, token = csrf_client(member())
    response = client.generic("POST", "/tools/ocr/", png_body(token), MULTIPART_CONTENT)
    assert response.status_code == 302
    job = OcrJob.objects.get()
    assert response["Location"] == f"/tools/ocr/jobs/{job.pk}/" and job.owner is not None


def test_member_form_post_without_its_csrf_token_is_refused() -> None:
    client, _ = csrf_client(member())
    response = client.generic("POST", "/tools/ocr/", png_body(), MULTIPART_CONTENT)
    assert response.status_code == 403
    assert OcrJob.objects.count() == 0


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("url", ENDPOINTS)
def test_declared_200mb_is_refused_with_no_byte_read(
    tool_settings: Any, url: str, caller: str
) -> None:
    client, headers = CALLERS[caller]()
    body = CountingInput(png_body())
    before = file_count(tool_settings)
    response = raw_post(client, url, body, str(DECLARED), **headers)
    assert response.status_code == 413, response.content
    assert b"file_too_large" in response.content
    assert body.read_bytes == 0
    assert file_count(tool_settings) == before and OcrJob.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "caller"),
    [
        *(("/api/v1/ocr", caller) for caller in CALLERS),
        *(("/tools/ocr/", caller) for caller in ("anonymous", "member-session-csrf")),
    ],
)
def test_honest_body_growing_past_the_limit_is_stopped_for_every_caller(
    tool_settings: Any, url: str, caller: str
) -> None:
    tool_settings.MASTHEAD_OCR_MAX_BYTES = tool_settings.MASTHEAD_OCR_MAX_BYTES_MEMBER = 100_000
    client, headers = CALLERS[caller]()
    token = headers.get("HTTP_X_CSRFTOKEN", "")
    data = images.noisy_png(400, 400)  # over the limit, but within the multipart slack
    fields: dict[str, Any] = {"csrfmiddlewaretoken": token} if token else {}
    fields["file"] = SimpleUploadedFile("big.png", data, "image/png")
    response = client.post(url, fields, **headers)
    assert response.status_code == 413, response.content
    assert b"file_too_large" in response.content
    assert b"the limit is 100 kB" in response.content  # the caller's real limit
    assert OcrJob.objects.count() == 0


def test_chunked_upload_is_read_with_its_real_length() -> None:
    """A body without Content-Length (chunked, as gunicorn passes it) is read, not lost."""
    body = CountingInput(png_body())
    response = raw_post(Client(), "/api/v1/ocr", body, "")
    assert response.status_code == 200, response.content
    assert OcrJob.objects.count() == 1


@pytest.mark.parametrize("url", ENDPOINTS)
def test_endless_chunked_body_is_refused_after_a_bounded_read(tool_settings: Any, url: str) -> None:
    body = CountingInput(endless=True)
    before = file_count(tool_settings)
    response = raw_post(Client(), url, body, "")
    assert response.status_code == 413, response.content
    assert body.read_bytes <= tool_settings.MASTHEAD_OCR_MAX_BYTES + MULTIPART_SLACK + READ_CHUNK
    assert file_count(tool_settings) == before and OcrJob.objects.count() == 0


class BrokenChunks(CountingInput):
    """What gunicorn's reader does with a malformed chunk: raise a non-OSError."""

    def readinto(self, buffer: Any) -> int:
        raise ValueError("Invalid chunk size")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_broken_chunked_body_is_a_400(url: str) -> None:
    response = raw_post(Client(), url, BrokenChunks(), "")
    assert response.status_code == 400, response.content
    assert b"could not be read" in response.content
    assert OcrJob.objects.count() == 0


@pytest.mark.parametrize("length", ["-1", "many", "²"])
def test_nonsense_content_length_is_a_400(length: str) -> None:
    response = raw_post(Client(), "/api/v1/ocr", CountingInput(png_body()), length)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_request"


def test_every_guarded_view_name_resolves_to_an_upload_endpoint() -> None:
    """A renamed URL would silently drop its guard: each name must still be the endpoint."""
    assert sorted(reverse(name) for name in UPLOAD_VIEWS) == sorted(ENDPOINTS)
    assert all(resolve(url).view_name in UPLOAD_VIEWS for url in ENDPOINTS)
