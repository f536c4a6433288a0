"""Sessions: rotation on sign-in, POST-only logout, replayed cookies, cookie flags, staff age.

A13-A17 of the reliability catalogue.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from tests.members.conftest import PASSWORD, code_from, make_member

REDIRECT_PAYLOADS = [
    "https://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "http:999999999",
    "\njavascript:alert(1)",
    "javascript:alert(1)",
    "https://site@evil.example",
    "%2F%2Fevil.example",
    "/%09/evil.example",
]


def _keys(client: Client) -> tuple[str, str]:
    client.get("/accounts/login/")
    return client.session.session_key or "", client.cookies["csrftoken"].value


def test_password_login_rotates_session_and_csrf(member):
    client = Client(enforce_csrf_checks=True)
    session_before, csrf_before = _keys(client)
    response = client.post(
        "/accounts/login/",
        {"login": member.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_before},
    )
    assert response.status_code == 302
    assert client.session.session_key != session_before
    assert client.cookies["csrftoken"].value != csrf_before


def test_code_login_rotates_session_and_csrf(smtp_server, member):
    client = Client()
    session_before, csrf_before = _keys(client)
    client.post("/accounts/login/code/", {"email": member.email})
    [mail] = smtp_server.wait_for(member.email)
    client.post("/accounts/login/code/confirm/", {"code": code_from(mail)})
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session.session_key != session_before
    assert client.cookies["csrftoken"].value != csrf_before


def test_login_without_csrf_token_is_403(member):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 403


def test_logout_is_post_only_and_old_cookie_is_anonymous_after(client, member):
    client.force_login(member)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.get("/accounts/logout/")
    assert response.status_code == 200  # a confirmation page, still signed in
    assert client.session["_auth_user_id"] == str(member.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_change_ends_other_sessions(member):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    new_password = "another long passphrase"
    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert laptop.get("/accounts/").status_code == 200
    assert phone.get("/accounts/").status_code == 302


@pytest.mark.parametrize("payload", REDIRECT_PAYLOADS)
def test_open_redirect_on_password_login(client, member, payload):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": payload}
    )
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


@pytest.mark.parametrize("payload", REDIRECT_PAYLOADS)
def test_open_redirect_on_code_login(client, smtp_server, member, payload):
    client.post("/accounts/login/code/", {"email": member.email, "next": payload})
    [mail] = smtp_server.wait_for(member.email)
    response = client.post(
        "/accounts/login/code/confirm/", {"code": code_from(mail), "next": payload}
    )
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


@pytest.mark.parametrize("payload", REDIRECT_PAYLOADS)
def test_open_redirect_on_logout(client, member, payload):
    client.force_login(member)
    response = client.post("/accounts/logout/", {"next": payload})
    assert response.status_code == 302
    assert response["Location"] == settings.LOGOUT_REDIRECT_URL


def test_safe_next_is_followed(client, member):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": PASSWORD, "next": "/blog/"}
    )
    assert response["Location"] == "/blog/"


def test_staff_session_ends_after_the_staff_age(client, settings):
    user = make_member("staffer@example.com")
    user.is_staff = True
    user.save()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/accounts/").status_code == 200
    settings.MASTHEAD_STAFF_SESSION_AGE = -1  # as if the staff age had passed
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_member_sessions_are_not_cut_by_the_staff_age(client, member, settings):
    client.force_login(member)
    settings.MASTHEAD_STAFF_SESSION_AGE = -1
    assert client.get("/accounts/").status_code == 200


_COOKIE_CHECK = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE, "csrf_secure": s.CSRF_COOKIE_SECURE,
    "session_httponly": s.SESSION_COOKIE_HTTPONLY, "session_samesite": s.SESSION_COOKIE_SAMESITE,
    "csrf_samesite": s.CSRF_COOKIE_SAMESITE, "session_name": s.SESSION_COOKIE_NAME,
    "csrf_name": s.CSRF_COOKIE_NAME, "session_domain": s.SESSION_COOKIE_DOMAIN,
    "csrf_domain": s.CSRF_COOKIE_DOMAIN, "staff_age": s.MASTHEAD_STAFF_SESSION_AGE,
    "member_age": s.SESSION_COOKIE_AGE,
}))
"""


def test_production_cookie_flags():
    env = {
        **os.environ,
        "MASTHEAD_HTTPS": "1",
        "MASTHEAD_SITE_URL": "https://masthead.example",
        "DJANGO_SETTINGS_MODULE": "masthead.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", _COOKIE_CHECK], env=env, capture_output=True, text=True, check=True
    )
    flags = json.loads(out.stdout.strip().splitlines()[-1])
    assert flags["session_secure"] and flags["csrf_secure"]
    assert flags["session_httponly"]
    assert flags["session_samesite"] == flags["csrf_samesite"] == "Lax"
    assert flags["session_name"] == "__Host-sessionid"
    assert flags["csrf_name"] == "__Host-csrftoken"
    assert flags["session_domain"] is None and flags["csrf_domain"] is None
    assert flags["staff_age"] < flags["member_age"]
