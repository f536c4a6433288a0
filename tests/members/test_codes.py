"""One-time sign-in and reset codes: single use, 10 minutes, POST only (decision 1, A06-A11)."""

from __future__ import annotations

import time
import types

from allauth.account.internal.flows import code_verification
from django.test import Client

from tests.fixtures.smtp import MailSink
from tests.members.conftest import PASSWORD, code_from, make_member

CONFIRM = "/accounts/login/code/confirm/"


def _request_code(client: Client, smtp_server: MailSink, email: str) -> str:
    response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    [mail] = smtp_server.wait_for(email)
    return code_from(mail)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_by_emailed_code(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(member.pk)


def test_member_without_password_signs_in_by_code(client, smtp_server):
    user = make_member("nopass@example.com", password=None)
    code = _request_code(client, smtp_server, user.email)
    client.post(CONFIRM, {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_get_and_head_consume_nothing(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    for _ in range(3):
        assert client.get(CONFIRM).status_code == 200
        assert client.head(CONFIRM).status_code == 200
        assert client.get(CONFIRM, {"code": code}).status_code == 200
    assert not _signed_in(client)
    client.post(CONFIRM, {"code": code})
    assert _signed_in(client)


def test_code_is_single_use(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    client.post(CONFIRM, {"code": code})
    client.post("/accounts/logout/")
    assert not _signed_in(client)
    response = client.post(CONFIRM, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    assert not _signed_in(client)


def test_code_only_works_in_the_browser_that_asked(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    other = Client()
    other.post(CONFIRM, {"code": code})
    assert not _signed_in(other)


def test_code_expires_after_ten_minutes(client, smtp_server, member, monkeypatch):
    code = _request_code(client, smtp_server, member.email)
    later = time.time() + 601
    monkeypatch.setattr(code_verification, "time", types.SimpleNamespace(time=lambda: later))
    response = client.post(CONFIRM, {"code": code})
    assert not _signed_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"


def test_code_still_valid_just_under_ten_minutes(client, smtp_server, member, monkeypatch):
    code = _request_code(client, smtp_server, member.email)
    later = time.time() + 590
    monkeypatch.setattr(code_verification, "time", types.SimpleNamespace(time=lambda: later))
    client.post(CONFIRM, {"code": code})
    assert _signed_in(client)


def test_three_wrong_codes_kill_the_code(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    statuses = [client.post(CONFIRM, {"code": "ZZZZ-ZZZZ"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 302]
    client.post(CONFIRM, {"code": code})
    assert not _signed_in(client)


def test_password_reset_by_code(client, smtp_server, member):
    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    confirm_url = response["Location"]
    [mail] = smtp_server.wait_for(member.email)
    code = code_from(mail)
    assert client.get(confirm_url).status_code == 200  # GET consumes nothing
    response = client.post(confirm_url, {"code": code})
    assert response.status_code == 302
    new_password = "a brand new passphrase"
    response = client.post(
        response["Location"], {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert not member.check_password(PASSWORD)
    # The reset code cannot be replayed, in this browser or another.
    for browser in (client, Client()):
        response = browser.post(confirm_url, {"code": code})
        assert response.status_code == 302
        assert response["Location"] in {"/accounts/login/", "/accounts/password/reset/"}
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_codes_are_not_logged(client, smtp_server, member, caplog):
    caplog.set_level("DEBUG")
    code = _request_code(client, smtp_server, member.email)
    client.post(CONFIRM, {"code": code})
    assert _signed_in(client)
    # Our loggers and Django's; the test SMTP server's own debug log shows the mail itself.
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert code not in ours
    assert member.email not in ours
    assert "login_succeeded" in ours


def test_failed_and_successful_sign_ins_are_logged_without_the_address(client, member, caplog):
    caplog.set_level("INFO", logger="masthead.members.auth")
    client.post("/accounts/login/", {"login": member.email, "password": "wrong password"})
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    lines = [r.getMessage() for r in caplog.records if r.name == "masthead.members.auth"]
    assert any(line.startswith("login_failed email_hash=") for line in lines), lines
    assert any(line == f"login_succeeded user={member.pk} ip=127.0.0.1" for line in lines)
    assert all(member.email not in line and PASSWORD not in line for line in lines)
    assert all(r.created for r in caplog.records)  # timestamps come from the log record


def test_code_is_useless_once_the_account_is_deactivated(client, smtp_server, member):
    code = _request_code(client, smtp_server, member.email)
    member.is_active = False
    member.save()
    client.post(CONFIRM, {"code": code})
    assert not _signed_in(client)


def test_sign_in_code_does_not_verify_a_different_flow(client, smtp_server):
    """A sign-in code is not an email-verification code (purpose binding, A09)."""
    client.post("/accounts/signup/", {"email": "bind@example.com"})
    [verification] = smtp_server.wait_for("bind@example.com")
    other = Client()
    other.post("/accounts/login/code/", {"email": "bind@example.com"})
    other.post(CONFIRM, {"code": code_from(verification)})
    assert not _signed_in(other)


def test_code_is_dead_once_the_password_changes_in_another_browser(client, smtp_server, member):
    """A09: a code asked for before a password change signs nobody in after it."""
    code = _request_code(client, smtp_server, member.email)
    owner = Client()
    owner.force_login(member)
    changed = owner.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-7",
            "password2": "a-new-long-passphrase-7",
        },
    )
    assert changed.status_code == 302
    response = client.post(CONFIRM, {"code": code}, follow=True)
    assert not _signed_in(client)
    assert "no longer works" in response.content.decode()


def test_code_still_signs_in_when_nothing_changed(client, smtp_server, member):
    """The binding does not refuse an honest code (the positive side of A09)."""
    code = _request_code(client, smtp_server, member.email)
    client.post(CONFIRM, {"code": code})
    assert _signed_in(client)
