"""The account page: profile, avatar, sections from other apps, export, deletion."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from masthead.members import sections
from masthead.members.models import Profile
from tests.members.conftest import PASSWORD, code_from, make_member

User = get_user_model()


def _png(size: tuple[int, int] = (600, 400), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_account_page_needs_sign_in(client):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"


def test_account_page_shows_profile_links_and_sections(client, member):
    sections.register_section(
        sections.AccountSection(key="demo", title="Demo part", template="members/_demo.html")
    )
    client.force_login(member)
    response = client.get("/accounts/")
    html = response.content.decode()
    assert response.status_code == 200
    assert member.email in html
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        assert f'href="{url}"' in html
    assert "Demo part" in html
    assert "Hello from the demo section" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_profile_update_saves_display_name(client, member):
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "  Ada Lovelace "})
    assert response.status_code == 302
    assert Profile.objects.get(user=member).display_name == "Ada Lovelace"


@pytest.mark.parametrize(
    "name", ["Ada\r\nBcc: x@example.net", "Ada\nLovelace", "Ada\x00", "Ada\u2028Lovelace"]
)
def test_profile_rejects_control_characters(client, member, name):
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": name})
    assert response.status_code == 400
    assert "letters, digits, spaces and punctuation" in response.content.decode()
    assert not Profile.objects.filter(user=member).exclude(display_name="").exists()


def test_avatar_is_reencoded_small_png(client, member, media):
    client.force_login(member)
    upload = SimpleUploadedFile("../../evil.php", _png(fmt="JPEG"), content_type="text/html")
    response = client.post("/accounts/profile/", {"display_name": "Ada", "avatar": upload})
    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    name = str(profile.avatar.name)
    assert name.startswith("avatars/") and name.endswith(".png")
    assert "evil" not in name
    with Image.open(profile.avatar.path) as image:
        assert image.format == "PNG"
        assert max(image.size) == 256


def test_new_avatar_replaces_and_deletes_the_old_file(client, member, media):
    client.force_login(member)
    client.post("/accounts/profile/", {"avatar": SimpleUploadedFile("a.png", _png())})
    first = Path(Profile.objects.get(user=member).avatar.path)
    client.post("/accounts/profile/", {"avatar": SimpleUploadedFile("b.png", _png((50, 50)))})
    second = Path(Profile.objects.get(user=member).avatar.path)
    assert second.exists() and not first.exists()
    client.post("/accounts/profile/avatar/remove/")
    assert not second.exists()
    assert not Profile.objects.get(user=member).avatar


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "not a picture we can read"),
        (b"", "The submitted file is empty"),
        (_png((5000, 10)), "too large"),
    ],
)
def test_bad_avatars_are_refused_and_nothing_is_stored(client, member, media, payload, message):
    client.force_login(member)
    upload = SimpleUploadedFile("x.png", payload, content_type="image/png")
    response = client.post("/accounts/profile/", {"display_name": "Ada", "avatar": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not any(media.rglob("*.png"))
    assert not Profile.objects.filter(user=member, display_name="Ada").exists()


def test_oversized_avatar_file_is_refused(client, member, media, settings):
    settings.MASTHEAD_AVATAR_MAX_BYTES = 1000
    client.force_login(member)
    upload = SimpleUploadedFile("x.png", _png((300, 300)) + b"\0" * 2000)
    response = client.post("/accounts/profile/", {"avatar": upload})
    assert response.status_code == 400
    assert "smaller than" in response.content.decode()


def test_download_my_data_includes_every_exporter(client, member):
    sections.register_exporter("demo", lambda user: {"favourite": f"colour of {user.pk}"})
    Profile.objects.create(user=member, display_name="Ada")
    client.force_login(member)
    assert client.get("/accounts/export/").status_code == 405  # a POST, like every action
    response = client.post("/accounts/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Ada"
    assert data["emails"] == [{"email": member.email, "verified": True, "primary": True}]
    assert data["demo"] == {"favourite": f"colour of {member.pk}"}
    assert data["account"]["id"] == member.pk


def test_delete_requires_recent_reauthentication(client, member):
    client.force_login(member)
    response = client.post("/accounts/delete/", {"confirm": "DELETE"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert User.objects.filter(pk=member.pk).exists()


def test_delete_removes_everything(client, member, media):
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.post("/accounts/profile/", {"avatar": SimpleUploadedFile("a.png", _png())})
    avatar = Path(Profile.objects.get(user=member).avatar.path)
    assert client.get("/accounts/delete/").status_code == 200
    response = client.post("/accounts/delete/", {"confirm": "delete"})
    assert response["Location"] == "/accounts/reauthenticate/?next=%2Faccounts%2Fdelete%2F"
    # After the password, allauth resumes the held POST: the wrong confirmation is refused.
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()

    response = client.post("/accounts/delete/", {"confirm": "DELETE"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Profile.objects.filter(user_id=member.pk).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert not avatar.exists()
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/accounts/profile/", "/accounts/export/", "/accounts/delete/", "/accounts/logout/"]
)
def test_account_actions_without_csrf_token_are_403(member, path):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(path, {"display_name": "x", "confirm": "DELETE"})
    assert response.status_code == 403
    assert User.objects.filter(pk=member.pk).exists()
    assert not Profile.objects.filter(user=member, display_name="x").exists()


def test_member_without_password_confirms_deletion_with_an_emailed_code(client, smtp_server):
    user = make_member("nopass@example.com", password=None)
    client.force_login(user)
    response = client.post("/accounts/delete/", {"confirm": "DELETE"})
    assert response["Location"] == "/accounts/reauthenticate/code/?next=%2Faccounts%2Fdelete%2F"
    assert client.get(response["Location"]).status_code == 200  # asking sends nothing yet
    assert smtp_server.messages == []
    response = client.post(response["Location"], {"recipient": user.email})
    assert response.status_code == 302
    [mail] = smtp_server.wait_for(user.email)
    response = client.post(response["Location"], {"code": code_from(mail)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=user.pk).exists()
