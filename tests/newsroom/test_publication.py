"""Publication settings edited in the newsroom: stored, shown on the next request, and every
bad input refused with a message and nothing saved."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from masthead.core import pagecache, publication
from masthead.core.models import Publication
from tests.ocr import bombs

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]
URL = "/newsroom/publication/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(size: tuple[int, int] = (300, 100), colour: str = "#3a2fd1") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "The Signal",
        "description": "News for builders.",
        "accent_color": "#0b6e4f",
        "navigation": "Blog | /blog/\nAbout | /about/",
        "footer_links": "RSS | /feed/rss/\nMastodon | https://social.example/@signal",
        "time_zone": "Europe/Paris",
    }
    data.update(changes)
    return data


@pytest.fixture
def admin(signed_in: Signed, django_capture_on_commit_callbacks: Any) -> Client:
    """An admin's client whose saves run their after-commit work (cache, page cache)."""
    client = signed_in("admin")
    post = client.post

    def post_and_commit(*args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit  # type: ignore[method-assign]
    return client


def _row() -> Publication:
    return publication.row_get()


def test_first_values_come_from_the_environment(settings: Any) -> None:
    settings.SITE_NAME = "Seeded Name"
    settings.SITE_DESCRIPTION = "Seeded description."
    look = publication.current()
    assert (look.name, look.description) == ("Seeded Name", "Seeded description.")
    settings.SITE_NAME = "Changed later"
    cache.clear()
    assert publication.current().name == "Seeded Name"  # the row now rules


def test_admin_changes_show_on_the_next_public_request(admin: Client) -> None:
    reader = Client()
    first = reader.get("/")
    assert first.status_code == 200
    assert reader.get("/")["X-Page-Cache"] == "hit"

    response = admin.post(URL, _form())
    assert response.status_code == 302

    page = reader.get("/")
    body = page.content.decode()
    assert page["X-Page-Cache"] == "miss"  # the cached copy with the old name was dropped
    assert "The Signal" in body and "News for builders." in body
    version = _row().version
    assert f'href="/theme.css?v={version}"' in body
    assert '<a href="/about/">About</a>' in body
    assert '<a href="https://social.example/@signal">Mastodon</a>' in body
    css = reader.get(f"/theme.css?v={version}")
    assert "--accent: #0b6e4f" in css.content.decode()
    assert "immutable" in css["Cache-Control"]
    feed = reader.get("/feed/rss/").content.decode()
    assert "<title>The Signal</title>" in feed


def test_another_node_sees_the_change_from_the_shared_cache(admin: Client) -> None:
    assert admin.post(URL, _form(name="Shared Name")).status_code == 302
    # Another web node: nothing in its process, the shared cache says what is current.
    Publication.objects.filter(pk=1).update(name="not read while the cache holds the value")
    pagecache.clear_local()  # a process of its own: no copies of this one's
    assert publication.current().name == "Shared Name"
    cache.clear()  # a node that finds nothing in the cache reads the database
    pagecache.clear_local()  # (within a second, when it next reads the content version)
    assert publication.current().name == "not read while the cache holds the value"


def test_a_process_reads_the_settings_once_per_content_version(admin: Client) -> None:
    publication.current()
    with CaptureQueriesContext(connection) as reads:
        for _ in range(3):
            assert publication.current().name == publication.current().name
    assert len(reads) <= 1  # six reads of the settings: at most the version's re-read
    assert admin.post(URL, _form(name="Renamed")).status_code == 302
    assert publication.current().name == "Renamed"  # the save moved the version on


def test_logo_icon_and_social_image_are_stored_as_fresh_pngs(admin: Client) -> None:
    upload = {
        "logo": SimpleUploadedFile("logo.jpg", _png((1600, 400)), content_type="image/jpeg"),
        "icon": SimpleUploadedFile("icon.png", _png((64, 64))),
        "social_image": SimpleUploadedFile("s.png", _png((1200, 630))),
    }
    assert admin.post(URL, {**_form(), **upload}).status_code == 302
    row = _row()
    with Image.open(row.logo.path) as logo:
        assert (logo.format, logo.size) == ("PNG", (800, 200))
    assert str(row.logo.name).startswith("publication/") and str(row.logo.name).endswith(".png")
    body = Client().get("/").content.decode()
    assert f'src="{row.logo.url}" alt="The Signal"' in body
    assert f'<link rel="icon" href="{row.icon.url}"' in body
    assert (
        f'content="http://testserver{row.social_image.url}"' in body or row.social_image.url in body
    )

    old = Path(row.logo.path)
    assert admin.post(URL, {**_form(), "remove_logo": "on"}).status_code == 302
    assert not _row().logo and not old.exists()


def _refused(admin: Client, data: dict[str, Any], status: int, message: str) -> None:
    before = _row()
    response = admin.post(URL, data)
    assert response.status_code == status, response.content[:2000]
    assert message in response.content.decode()
    after = _row()
    assert (after.version, after.name, after.logo.name) == (
        before.version,
        before.name,
        before.logo.name,
    )


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#zzzzzz", "is not a colour"),
        ("red", "is not a colour"),
        ("#ffff00", "too light to read"),
        ("#9aa0ff", "too light to read"),
    ],
)
def test_bad_accent_colour_is_refused(admin: Client, colour: str, message: str) -> None:
    _refused(admin, _form(accent_color=colour, name="Not saved"), 400, message)


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("Bad | javascript:alert(1)", "is not a path on this site"),
        ("Away | //evil.example/", "is not a path on this site"),
        ("no separator", "write it as"),
        ("\n".join(f"L{i} | /l{i}/" for i in range(13)), "At most 12 links"),
    ],
)
def test_bad_links_are_refused(admin: Client, links: str, message: str) -> None:
    _refused(admin, _form(navigation=links, name="Not saved"), 400, message)


def test_unknown_time_zone_is_refused(admin: Client) -> None:
    _refused(admin, _form(time_zone="Mars/Olympus", name="Not saved"), 400, "Select a valid choice")


def test_non_image_logo_is_refused(admin: Client) -> None:
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    _refused(admin, {**_form(name="Not saved"), "logo": fake}, 415, "")


def test_oversized_logo_is_refused(admin: Client, settings: Any) -> None:
    settings.MASTHEAD_BRAND_IMAGE_MAX_BYTES = 1000
    big = SimpleUploadedFile("logo.png", _png((400, 400), "#123456") + b"\0" * 2000)
    _refused(admin, {**_form(name="Not saved"), "logo": big}, 413, "the limit is 1,000")


def test_image_bomb_is_refused_before_decoding(admin: Client) -> None:
    bomb = SimpleUploadedFile("logo.png", bombs.png_header(50_000, 50_000))
    _refused(admin, {**_form(name="Not saved"), "icon": bomb}, 413, "50000")


def test_truncated_image_is_refused(admin: Client) -> None:
    broken = SimpleUploadedFile("logo.png", _png((400, 400))[:200])
    _refused(admin, {**_form(name="Not saved"), "logo": broken}, 422, "could not be read")


@pytest.mark.parametrize("role", ["author", "editor"])
def test_non_admins_cannot_change_settings(signed_in: Signed, role: str) -> None:
    before = _row().version
    response = signed_in(role).post(URL, _form(name="Hijacked"))
    assert response.status_code == 403
    assert "Only admins can do this" in response.content.decode()
    assert _row().version == before and _row().name != "Hijacked"


def test_contrast_maths() -> None:
    assert publication.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert publication.light_contrast("#3a2fd1") >= 4.5
    for accent in ("#3a2fd1", "#0b6e4f", "#000000", "#b3261e"):
        dark = publication.dark_variant(accent)
        assert min(publication.contrast(dark, bg) for bg in publication.DARK_BACKGROUNDS) >= 4.5
