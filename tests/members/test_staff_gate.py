"""The staff two-factor rule beyond the admin's door (issue 10, findings 14-16 and the TOTP
lockout): staff-only views outside /admin/, enrolment that needs more than the password,
the staff session cookie's lifetime, and 429 on too many wrong TOTP codes."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.members import roles
from tests.fixtures import staff
from tests.fixtures.smtp import MailSink
from tests.fixtures.staff import login_past_totp
from tests.members.conftest import PASSWORD, code_from, make_member, staff_with_totp
from tests.newsletter.factories import make_issue

ACTIVATE = "/accounts/2fa/totp/activate/"


def _totp_code(secret: str) -> str:
    return str(totp.format_hotp_value(totp.hotp_value(secret, int(time.time()) // 30)))


def _staff_signed_in_with_password(role: str = "editor") -> tuple[Any, Client]:
    user = make_member(f"{role}-new@example.com")
    roles.role_assign(user=user, role=role)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user, client


# --- 14: staff-only views outside /admin/ --------------------------------------------------


def test_draft_newsletter_issue_needs_the_admins_two_factor_rule(client: Client) -> None:
    url = f"/newsletter/issues/{make_issue(subject='Secret draft').pk}/"
    no_totp = get_user_model().objects.create_superuser("no-totp", "nt@example.com", "x" * 20)
    client.force_login(no_totp)
    assert client.get(url).status_code == 404

    boss = staff.superuser("boss", "boss@example.com")
    client.force_login(boss)  # TOTP set up but not passed in this session
    assert client.get(url).status_code == 404

    login_past_totp(client, staff_with_totp("editor", "editor@example.com"))
    assert client.get(url).status_code == 404  # no newsletter permission in the admin either

    login_past_totp(client, boss)
    response = client.get(url)
    assert response.status_code == 200 and b"Secret draft" in response.content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- 15: enrolment needs an emailed code, not only the password -------------------------------


def test_staff_totp_enrolment_needs_a_fresh_emailed_code(smtp_server: MailSink) -> None:
    user, client = _staff_signed_in_with_password()
    # Someone holding only the password can pass allauth's password re-check ...
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    # ... but cannot see the set-up secret or enrol an authenticator of their own.
    response = client.get(ACTIVATE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/code/?next=")
    assert client.post(ACTIVATE, {"code": "123456"}).status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()

    # The account's owner reads the code in their mailbox and enrols.
    response = client.post(response["Location"], {"recipient": user.email})
    assert response.status_code == 302
    [mail] = smtp_server.wait_for(user.email)
    response = client.post(response["Location"], {"code": code_from(mail)})
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    assert client.get(ACTIVATE).status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    response = client.post(ACTIVATE, {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_staff_without_totp_cannot_add_an_address_to_receive_the_code() -> None:
    """Otherwise a password thief would add their own address and have the code sent there."""
    user, client = _staff_signed_in_with_password()
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/accounts/email/", {"action_add": "", "email": "thief@example.net"})
    assert response.status_code == 403
    assert b"Set up your authenticator app first" in response.content
    assert list(user.emailaddress_set.values_list("email", flat=True)) == [user.email]


def test_staff_without_a_verified_address_is_told_to_confirm_it() -> None:
    user, client = _staff_signed_in_with_password()
    user.emailaddress_set.update(verified=False)
    response = client.get(ACTIVATE)
    assert response.status_code == 403
    assert b"Confirm your email address first" in response.content


def test_members_enrol_after_the_password_check(client: Client, member: Any) -> None:
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get(ACTIVATE).status_code == 200


# --- 16: the staff session cookie ends with the staff session -------------------------------


def _session_cookie_age(response: Any) -> int:
    return int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"])


def test_staff_session_cookie_lasts_only_the_staff_age() -> None:
    _staff_signed_in_with_password()
    staff_age = settings.MASTHEAD_STAFF_SESSION_AGE
    login = Client()
    response = login.post(
        "/accounts/login/", {"login": "editor-new@example.com", "password": PASSWORD}
    )
    assert 0 < _session_cookie_age(response) <= staff_age
    assert login.session.get_expiry_age() <= staff_age
    # Later requests keep the deadline: it counts from sign-in, it does not slide.
    login.get("/accounts/")
    assert login.session.get_expiry_age() <= staff_age


def test_staff_session_cookie_after_the_totp_step_lasts_the_staff_age() -> None:
    user = make_member("totp@example.com")
    roles.role_assign(user=user, role="editor")
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(user, secret)
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert 0 < _session_cookie_age(response) <= settings.MASTHEAD_STAFF_SESSION_AGE


def test_member_session_cookie_keeps_the_member_age(client: Client, member: Any) -> None:
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert _session_cookie_age(response) == settings.SESSION_COOKIE_AGE


# --- TOTP lockout: 429 with Retry-After, like the password lockout ----------------------------


def test_totp_lockout_answers_429_with_retry_after() -> None:
    user = make_member("locked@example.com")
    roles.role_assign(user=user, role="editor")
    totp.TOTP.activate(user, totp.generate_totp_secret())
    client = Client()
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    statuses = [
        client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 429 and response["Retry-After"] == "300"


def test_totp_reauthentication_lockout_answers_429_too(client: Client) -> None:
    user = make_member("reauth@example.com")
    roles.role_assign(user=user, role="editor")
    totp.TOTP.activate(user, totp.generate_totp_secret())
    login_past_totp(client, user)
    statuses = [
        client.post("/accounts/2fa/reauthenticate/", {"code": "000000"}).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
