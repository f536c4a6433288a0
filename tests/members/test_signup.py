"""Sign-up, email verification by code, password hashing and policy (A18, A19, A20, A23)."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from tests.members.conftest import PASSWORD, code_from

User = get_user_model()


def test_signup_without_password_verifies_by_emailed_code(client, smtp_server):
    response = client.post("/accounts/signup/", {"email": "new@example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    [mail] = smtp_server.wait_for("new@example.com")
    assert "verification code" in mail.body()

    user = User.objects.get(email="new@example.com")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post("/accounts/confirm-email/", {"code": code_from(mail)})
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/accounts/").status_code == 200


def test_signup_with_password_hashes_with_argon2(client, smtp_server):
    response = client.post("/accounts/signup/", {"email": "pw@example.com", "password1": PASSWORD})
    assert response.status_code == 302
    smtp_server.wait_for("pw@example.com")
    user = User.objects.get(email="pw@example.com")
    assert user.password.startswith("argon2$argon2id$")


def test_unverified_address_cannot_sign_in(client, smtp_server):
    client.post("/accounts/signup/", {"email": "late@example.com", "password1": PASSWORD})
    smtp_server.wait_for("late@example.com")
    other = client.__class__()
    other.post("/accounts/login/", {"login": "late@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in other.session


def test_old_pbkdf2_hash_is_upgraded_on_login(client, member):
    member.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    member.save()
    assert member.password.startswith("pbkdf2_sha256$")
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.password.startswith("argon2$")


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("short1!Aa", False),  # 9 characters: below the minimum of 12
        ("password1234", False),  # on the common-password list
        ("elevenchars", False),
        ("twelve chars", True),
        ("x" * 3 + "lowercase only words are fine here", True),  # no composition rules
        ("a long passphrase " * 5, True),  # 90 characters: long passwords are accepted
    ],
)
def test_password_policy(client, smtp_server, password, accepted):
    client.post("/accounts/signup/", {"email": "policy@example.com", "password1": password})
    assert User.objects.filter(email="policy@example.com").exists() is accepted


def test_signup_ignores_staff_flags_in_payload(client, smtp_server):
    client.post(
        "/accounts/signup/",
        {
            "email": "sneaky@example.com",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": "1",
        },
    )
    smtp_server.wait_for("sneaky@example.com")
    user = User.objects.get(email="sneaky@example.com")
    assert not user.is_staff
    assert not user.is_superuser
    assert not user.groups.exists()


@pytest.mark.parametrize(
    "email",
    [
        "victim@example.com\r\nBcc: list@example.net",
        "victim@example.com\nBcc: list@example.net",
        "victim@example.com%0d%0aBcc:list@example.net",
    ],
)
def test_signup_rejects_header_injection_in_email(client, smtp_server, email):
    response = client.post("/accounts/signup/", {"email": email})
    assert response.status_code == 200  # the form again, with an error
    assert "Enter a valid email address" in response.content.decode()
    assert not User.objects.exists()
    assert smtp_server.messages == []


def test_existing_member_signup_does_not_create_a_second_account(client, smtp_server, member):
    client.post("/accounts/signup/", {"email": member.email})
    [mail] = smtp_server.wait_for(member.email)
    assert "already has an account" in mail.body()
    assert User.objects.filter(email=member.email).count() == 1


def test_verification_code_works_once_and_dies_after_three_wrong_tries(client, smtp_server):
    client.post("/accounts/signup/", {"email": "try@example.com"})
    [mail] = smtp_server.wait_for("try@example.com")
    statuses = [
        client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"}).status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 302]  # the third wrong code abandons the verification
    response = client.post("/accounts/confirm-email/", {"code": code_from(mail)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not EmailAddress.objects.get(email="try@example.com").verified
