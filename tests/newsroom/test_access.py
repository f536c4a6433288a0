"""Who gets into the newsroom: signed-out readers sign in first, members are refused,
staff pass TOTP first, and each page asks the role it needs."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from tests.fixtures import staff
from tests.newsroom.conftest import make_staff

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]


def test_signed_out_goes_to_sign_in_and_comes_back(client: Client) -> None:
    response = client.get("/newsroom/people/?page=2")
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.path == "/accounts/login/"
    assert parse_qs(parts.query)["next"] == ["/newsroom/people/?page=2"]


def test_member_is_refused(signed_in: Signed) -> None:
    response = signed_in(None).get("/newsroom/")
    assert response.status_code == 403
    assert b"for the publication&#x27;s staff" in response.content


def test_staff_without_totp_sets_it_up_first(client: Client) -> None:
    user = make_staff(None, "new.editor@example.com")
    from masthead.members import roles

    roles.role_assign(user=user, role="editor")
    client.force_login(user)
    response = client.get("/newsroom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/?next=%2Fnewsroom%2F")


def test_staff_who_did_not_pass_totp_confirm_it(client: Client) -> None:
    client.force_login(make_staff("author"))
    response = client.get("/newsroom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


@pytest.mark.parametrize("role", ["author", "editor", "admin"])
def test_every_staff_role_sees_the_dashboard(signed_in: Signed, role: str) -> None:
    response = signed_in(role).get("/newsroom/")
    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Dashboard", "Posts", "People", "Publication"):
        assert f">{label}</a>" in body
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("role", ["author", "editor"])
@pytest.mark.parametrize("path", ["/newsroom/people/", "/newsroom/publication/"])
def test_people_and_settings_are_for_admins(signed_in: Signed, role: str, path: str) -> None:
    response = signed_in(role).get(path)
    assert response.status_code == 403
    assert b"Only admins can do this" in response.content


def test_superuser_is_staff(client: Client) -> None:
    staff.login_past_totp(client, staff.superuser())
    assert client.get("/newsroom/publication/").status_code == 200
