"""Who gets into the newsroom: signed-out readers sign in first, members are refused,
staff pass TOTP first, and each page asks the role it needs."""

from __future__ import annotations

import re
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
    for label in ("Dashboard", "Posts"):
        assert f">{label}</a>" in body
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("role", ["author", "editor"])
@pytest.mark.parametrize("path", ["/newsroom/people/", "/newsroom/publication/"])
def test_people_and_settings_are_for_admins(signed_in: Signed, role: str, path: str) -> None:
    response = signed_in(role).get(path)
    assert response.status_code == 403
    assert b"Only admins can do this" in response.content


MENU = {
    "author": ["Dashboard", "Posts"],
    "editor": ["Dashboard", "Posts", "Comments"],
    "admin": [
        "Dashboard",
        "Posts",
        "Comments",
        "People",
        "Publication",
        "Integrations",
        "Import &amp; export",
    ],
}


def _menu(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('<nav class="nr-nav"') : html.index("</nav>")]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize("role", sorted(MENU))
@pytest.mark.parametrize("page", ["/newsroom/", "/newsroom/posts/"])
def test_menu_shows_only_pages_the_role_can_open(signed_in: Signed, role: str, page: str) -> None:
    client = signed_in(role)
    items = _menu(client.get(page).content.decode())
    assert [label for _, label in items] == MENU[role]
    for href, label in items:  # every link shown opens for this role
        assert client.get(href).status_code == 200, (role, label)
    for hidden in ("/newsroom/people/", "/newsroom/publication/"):
        if hidden not in dict(items):
            assert client.get(hidden).status_code == 403


def test_menu_marks_the_current_page(signed_in: Signed) -> None:
    client = signed_in("admin")
    nav = client.get("/newsroom/people/").content.decode()
    assert '<a href="/newsroom/people/" aria-current="page">People</a>' in nav
    assert '<a href="/newsroom/" aria-current' not in nav


def test_refused_page_shows_a_member_no_menu(signed_in: Signed) -> None:
    response = signed_in(None).get("/newsroom/")
    assert response.status_code == 403
    assert _menu(response.content.decode()) == []


def test_superuser_is_staff(client: Client) -> None:
    staff.login_past_totp(client, staff.superuser())
    assert client.get("/newsroom/publication/").status_code == 200
