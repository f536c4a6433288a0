"""The hero image from the newsroom editor: choose, replace, remove, alt text; the same
checks and limits as body images (each bad file refused with its own message and nothing
stored); authors only on their own drafts."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from masthead.blog import services
from masthead.blog.models import Post
from masthead.members import roles
from tests.newsroom.conftest import make_staff
from tests.ocr import bombs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _draft(client: Client, title: str = "A draft") -> Post:
    response = client.post("/newsroom/posts/new/", {"title": title})
    assert response.status_code == 302, response
    return Post.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _png(width: int = 1200, height: int = 675) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _cut_short() -> bytes:
    """A PNG whose header is whole but whose pixel data stops half way."""
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 60).convert("RGB").save(buffer, "PNG")
    data = buffer.getvalue()
    return data[: len(data) // 2]


def _jpeg_turned(width: int, height: int) -> bytes:
    """A JPEG stored ``width`` x ``height`` with EXIF saying to show it turned a quarter."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (width, height), (10, 120, 60)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _hero(client: Client, post: Post, data: bytes | None = None, *, json: bool = True,
          name: str = "cover.png", **fields: str) -> Any:  # fmt: skip
    payload: dict[str, Any] = {"alt": "An orange field", **fields}
    if data is not None:
        payload["file"] = SimpleUploadedFile(name, data, "image/png")
    accept = "application/json" if json else "text/html"
    return client.post(f"/newsroom/posts/{post.pk}/hero/", payload, HTTP_ACCEPT=accept)


def _files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _unchanged(post: Post) -> None:
    post.refresh_from_db()
    assert not post.hero_image
    assert post.hero_renditions == [] and post.hero_alt == ""


def test_hero_upload_stores_renditions_and_shows_on_the_page(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    version = Post.objects.get(pk=post.pk).version
    response = _hero(client, post, _png(), caption="Photo: the desk")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["url"].startswith("/media/blog/hero/cover-") and data["url"].endswith(".png")
    assert (data["width"], data["height"], data["alt"]) == (1200, 675, "An orange field")
    post.refresh_from_db()
    assert post.version == version  # an autosave in flight is not made to conflict
    assert post.hero_caption == "Photo: the desk"
    assert {r["type"] for r in post.hero_renditions} == {"image/avif", "image/webp"}
    assert all(default_storage.exists(str(r["name"])) for r in post.hero_renditions)
    assert post.reading_time == 1
    # The editor shows it; so does the post page (the staff's draft view).
    editor = client.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert 'alt="An orange field"' in editor and 'type="image/avif" srcset=' in editor
    assert 'value="An orange field"' in editor and ">Remove the hero image</button>" in editor
    page = client.get(f"/newsroom/posts/{post.pk}/preview/").content.decode()
    assert '<img src="/media/blog/hero/cover-' in page and "<figcaption>Photo: the desk" in page


def test_hero_size_is_read_upright(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    assert _hero(client, post, _jpeg_turned(800, 400), name="turned.jpg").status_code == 200
    post.refresh_from_db()
    assert (post.hero_width, post.hero_height) == (400, 800)
    assert str(post.hero_image.name).endswith(".jpg")


def test_hero_replace_alt_only_and_remove(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    first = _hero(client, post, _png(600, 400)).json()["url"]
    second = _hero(client, post, _png(900, 500), name="other.png", alt="Second").json()
    assert second["url"] != first and (second["width"], second["alt"]) == (900, "Second")
    relabel = _hero(client, post, alt="Relabelled", caption="Now captioned")
    assert relabel.status_code == 200 and relabel.json()["url"] == second["url"]
    post.refresh_from_db()
    assert (post.hero_alt, post.hero_caption) == ("Relabelled", "Now captioned")
    gone = _hero(client, post, remove="1")
    assert gone.status_code == 200 and gone.json()["url"] == ""
    _unchanged(post)
    assert post.hero_width is None
    assert "No hero image yet." in client.get(f"/newsroom/posts/{post.pk}/").content.decode()


def test_alt_text_without_any_image_is_refused(signed_in: Any, settings: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _hero(client, post)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_file"
    _unchanged(post)


def test_no_script_form_goes_back_with_a_message(signed_in: Any, settings: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _hero(client, post, _png(), json=False)
    assert response.status_code == 302
    assert response["Location"] == f"/newsroom/posts/{post.pk}/#hero"
    page = client.get(response["Location"]).content.decode()
    assert "Hero image saved." in page
    refused = _hero(client, post, b"plain text, not a picture", json=False, name="x.png")
    assert refused.status_code == 302
    page = client.get(refused["Location"]).content.decode()
    assert "The hero image was not changed: Use a PNG, JPEG, WebP or GIF image" in page


@pytest.mark.parametrize(
    ("data", "status", "code", "words"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", 415, "unsupported_type", "PNG, JPEG, WebP or GIF"),
        (b"just some text, not a picture", 415, "unsupported_type", "PNG, JPEG, WebP or GIF"),
        (b"", 400, "bad_hero", "Image: The submitted file is empty."),
        (bombs.png_header(60_000, 60_000), 413, "image_too_large", "60000 x 60000"),
        (_cut_short(), 422, "corrupt_image", "the file ends early"),
    ],
    ids=["pdf", "text", "empty", "bomb", "truncated"],
)
def test_bad_hero_files_are_refused_and_nothing_is_stored(
    signed_in: Any, settings: Any, data: bytes, status: int, code: str, words: str
) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _hero(client, post, data)
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and words in error["message"], error
    _unchanged(post)
    assert _files(settings) == []


def test_oversized_hero_is_413_and_nothing_stored(signed_in: Any, settings: Any) -> None:
    settings.MASTHEAD_BODY_IMAGE_MAX_BYTES = 1000
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _hero(client, post, _png(400, 400) + b"\0" * 2000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    _unchanged(post)
    assert _files(settings) == []


def test_a_bad_replacement_keeps_the_current_hero(signed_in: Any, settings: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    assert _hero(client, post, _png()).status_code == 200
    before = sorted(_files(settings))
    post.refresh_from_db()
    kept = (post.hero_image.name, post.hero_alt, post.hero_renditions)
    response = _hero(client, post, _cut_short(), alt="Should not stick")
    assert response.status_code == 422
    post.refresh_from_db()
    assert (post.hero_image.name, post.hero_alt, post.hero_renditions) == kept
    assert sorted(_files(settings)) == before


def test_truncated_body_image_is_refused_too(signed_in: Any, settings: Any) -> None:
    """The body-image upload shares the checks: a cut-off file is a 422, not a crash."""
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = client.post(
        f"/newsroom/posts/{post.pk}/images/",
        {"file": SimpleUploadedFile("cut.png", _cut_short(), "image/png")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "corrupt_image"
    assert _files(settings) == []


# --- roles ----------------------------------------------------------------------------------------


def test_author_sets_the_hero_of_their_own_draft(signed_in: Any) -> None:
    client = signed_in(roles.AUTHOR)
    post = _draft(client)
    assert _hero(client, post, _png()).status_code == 200
    post.refresh_from_db()
    assert post.hero_image


def test_author_cannot_touch_someone_elses_post(signed_in: Any, settings: Any) -> None:
    other = make_staff(roles.AUTHOR, "other@example.com")
    post = services.post_create_draft(by=other, title="Not yours")
    client = signed_in(roles.AUTHOR)
    response = _hero(client, post, _png())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert _hero(client, post, _png(), json=False).status_code == 403
    _unchanged(post)
    assert _files(settings) == []


def test_author_cannot_change_the_hero_once_published(signed_in: Any) -> None:
    author = signed_in(roles.AUTHOR)
    post = _draft(author)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    response = _hero(author, post, _png())
    assert response.status_code == 403
    assert _hero(author, post, remove="1").status_code == 403
    _unchanged(post)


def test_member_and_signed_out_are_refused(signed_in: Any, client: Client) -> None:
    editor = make_staff(roles.EDITOR, "ed@example.com")
    post = services.post_create_draft(by=editor, title="Draft")
    assert _hero(signed_in(None), post, _png()).status_code == 403
    response = _hero(client, post, _png())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    _unchanged(post)


def test_hero_form_only_takes_post(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    assert client.get(f"/newsroom/posts/{post.pk}/hero/").status_code == 405
