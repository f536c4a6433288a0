"""OCR uploads and previews reach only the job's owner: never /media/, never a shared cache.

Finding 3 of issue 10: previews and in-flight uploads were stored under MEDIA_ROOT, which
``/media/`` serves to anyone with ``Cache-Control: public, max-age=604800``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.tools import services
from masthead.tools.models import OcrJob, OcrPageResult
from tests.tools import images

pytestmark = pytest.mark.django_db


def _post(client: Client, data: bytes, name: str, kind: str) -> Any:
    return client.post("/tools/ocr/", {"file": SimpleUploadedFile(name, data, kind)})


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_previews_are_kept_outside_the_public_media_tree(tool_settings: Any) -> None:
    client = Client()
    assert _post(client, images.png(), "page.png", "image/png").status_code == 302
    preview = str(OcrPageResult.objects.get().preview.name)
    assert _files(Path(tool_settings.MEDIA_ROOT)) == []
    assert (Path(tool_settings.MASTHEAD_OCR_FILES_ROOT) / preview).is_file()
    assert client.get(f"/media/{preview}").status_code == 404
    assert Client().get(f"/media/{preview}").status_code == 404


def test_an_upload_waiting_in_the_queue_is_never_served(
    tool_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PDF waits for a worker; its uploaded bytes are in private storage meanwhile."""
    monkeypatch.setattr(services, "_publish", lambda job: None)  # no worker takes it yet
    client = Client()
    assert _post(client, images.pdf(pages=2), "scan.pdf", "application/pdf").status_code == 302
    source = str(OcrJob.objects.get().source.name)
    assert source and (Path(tool_settings.MASTHEAD_OCR_FILES_ROOT) / source).is_file()
    assert _files(Path(tool_settings.MEDIA_ROOT)) == []
    assert client.get(f"/media/{source}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/media/ocr/uploads/left-over",
        "/media/OCR/uploads/left-over",
        "/media/blog/../ocr/uploads/left-over",
        "/media/./ocr/uploads/left-over",
    ],
)
def test_public_media_refuses_ocr_files_left_by_an_older_install(
    tool_settings: Any, url: str
) -> None:
    media = Path(tool_settings.MEDIA_ROOT)
    for folder in ("ocr", "OCR"):
        (media / folder / "uploads").mkdir(parents=True, exist_ok=True)
        (media / folder / "uploads" / "left-over").write_bytes(b"secret scan")
    assert Client().get(url).status_code == 404


def test_blog_images_stay_public(tool_settings: Any) -> None:
    media = Path(tool_settings.MEDIA_ROOT) / "heroes"
    media.mkdir(parents=True)
    (media / "a.webp").write_bytes(b"RIFF....WEBP")
    response = Client().get("/media/heroes/a.webp")
    assert response.status_code == 200 and "public" in response["Cache-Control"]


def test_preview_and_downloads_are_private_and_never_stored() -> None:
    client = Client()
    location = _post(client, images.png(), "page.png", "image/png")["Location"]
    for url in (f"{location}pages/1.webp", f"{location}download/text/"):
        response = client.get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, url
        assert "public" not in cache_control, url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_preview_follows_the_job_page_access_rule() -> None:
    """Owner member yes; another member, another visitor or a share link holder no."""
    owner = User.objects.create_user("own", "own@example.com", "a-long-enough-password-1")
    other = User.objects.create_user("oth", "oth@example.com", "a-long-enough-password-1")
    client = Client()
    client.force_login(owner)
    location = _post(client, images.png(), "page.png", "image/png")["Location"]
    client.post(f"{location}share/")
    token = OcrJob.objects.get().share_token
    assert client.get(f"{location}pages/1.webp").status_code == 200
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(f"{location}pages/1.webp").status_code == 404
    holder = Client()
    shared = holder.get(f"/tools/ocr/shared/{token}/")
    assert shared.status_code == 200 and "no-store" in shared["Cache-Control"]
    assert holder.get(f"{location}pages/1.webp").status_code == 404  # the link shows text only
