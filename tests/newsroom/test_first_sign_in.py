"""Issue 11: a staff member created before invitations existed (no authenticator yet) signs
in for the first time: one password, one emailed code, one TOTP set-up, and they land on
the page they asked for, not the home page."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.totp.internal import auth as totp
from django.test import Client

from masthead.members import roles
from masthead.members.adapter import is_local_path
from tests.fixtures.smtp import MailSink
from tests.members.conftest import code_from
from tests.newsroom.conftest import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def _follow(client: Client, response: Any, trail: list[str]) -> Any:
    while response.status_code in (301, 302):
        trail.append(response["Location"])
        response = client.get(response["Location"])
    return response


def test_first_sign_in_asks_each_thing_once_and_lands_where_asked(
    smtp_server: MailSink,
) -> None:
    user = make_staff(None, "first.timer@example.com")
    roles.role_assign(user=user, role="editor")
    client, trail = Client(), list[str]()

    login_page = _follow(client, client.get("/newsroom/people/"), trail)
    assert urlsplit(trail[-1]).path == "/accounts/login/"
    next_url = parse_qs(urlsplit(trail[-1]).query)["next"][0]
    assert next_url == "/newsroom/people/"
    assert login_page.status_code == 200

    response = client.post(trail[-1], {"login": user.email, "password": PASSWORD})
    page = _follow(client, response, trail)
    # Now the emailed code that allows enrolling an authenticator (ADR 0203).
    assert "/accounts/reauthenticate/code/" in trail[-1], trail
    response = client.post(trail[-1], {"recipient": user.email})
    page = _follow(client, response, trail)
    code = code_from(smtp_server.wait_for(user.email)[-1])
    response = client.post(trail[-1], {"code": code})
    page = _follow(client, response, trail)
    assert urlsplit(trail[-1]).path == "/accounts/2fa/totp/activate/", trail
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    assert secret, page.content.decode()[:3000]
    now = totp.format_hotp_value(totp.hotp_value(secret.group(1), int(time.time()) // 30))
    response = client.post(trail[-1], {"code": now})
    page = _follow(client, response, trail)

    # Landed where they were going, with nothing asked a second time.
    assert page.status_code == 403  # an editor, on the admins' people page
    assert page.wsgi_request.path == "/newsroom/people/"
    assert not any(
        "reauthenticate/?" in step or "/2fa/reauthenticate/" in step for step in trail
    ), trail
    assert sum("/accounts/login/" in step for step in trail) == 1, trail
    assert client.get("/newsroom/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/2fa/totp/activate/?next=%2Fnewsroom%2F",
        "/newsroom/?next=%2Fnewsroom%2Fpeople%2F",
    ],
)
def test_nested_next_with_encoded_slashes_is_accepted(url: str) -> None:
    assert is_local_path(url)


@pytest.mark.parametrize(
    "url", ["/%2F/evil.example", "/%252F%252Fevil.example", "/%5Cevil.example", "%2F%2Fevil"]
)
def test_encoded_ways_off_the_site_are_still_refused(url: str) -> None:
    assert not is_local_path(url)
