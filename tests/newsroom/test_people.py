"""People in the newsroom: invitations (signed, expiring, single use, emailed for real),
joining in one pass, role changes and removals, and the role rules on every write."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client
from django.utils import timezone

from masthead.members import roles, staffing
from masthead.members.middleware import staff_verified
from masthead.members.models import Invitation
from tests.fixtures.smtp import MailSink
from tests.newsroom.conftest import make_staff

pytestmark = pytest.mark.django_db

Signed = Callable[..., Client]
NEW = "new.editor@example.com"
LINK_RE = re.compile(r"(https?://\S+/newsroom/join/\S+/)")
STRONG = "a long passphrase nobody guesses"


def _invite(admin: Client, sink: MailSink, email: str = NEW, role: str = "editor") -> str:
    response = admin.post("/newsroom/people/invite/", {"email": email, "role": role})
    assert response.status_code == 302, response.content[:3000]
    [mail] = sink.wait_for(email)
    match = LINK_RE.search(mail.body())
    assert match, mail.body()
    return str(match.group(1))


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3] if link.startswith("http") else link


def _code(secret: str) -> str:
    return str(totp.format_hotp_value(totp.hotp_value(secret, int(time.time()) // 30)))


def _join(client: Client, path: str, **changes: str) -> Any:
    page = client.get(path)
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret">([A-Z2-7]+)<', page.content.decode()).group(1)  # type: ignore[union-attr]
    data = {"display_name": "Nell Editor", "password": STRONG, "code": _code(secret)}
    data.update(changes)
    return client.post(path, data)


@pytest.fixture
def admin(signed_in: Signed) -> Client:
    return signed_in("admin")


def test_invitee_joins_in_one_pass_and_lands_in_the_newsroom(
    admin: Client, smtp_server: MailSink
) -> None:
    path = _path(_invite(admin, smtp_server))
    [mail] = smtp_server.to(NEW)
    assert "editor" in mail.subject and "Masthead" in mail.subject

    invitee = Client()
    response = _join(invitee, path)
    assert response.status_code == 302 and response["Location"] == "/newsroom/"
    user = get_user_model().objects.get(email=NEW)
    assert roles.roles_of(user) == {"editor"} and user.is_staff
    assert user.check_password(STRONG)
    assert user.profile.display_name == "Nell Editor"
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    assert kinds == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert EmailAddress.objects.get(user=user).verified

    # Straight into the dashboard: no second password, no second code.
    dashboard = invitee.get("/newsroom/")
    assert dashboard.status_code == 200
    assert staff_verified(dashboard.wsgi_request)
    assert invitee.get("/admin/").status_code == 200


def test_a_used_invitation_cannot_be_used_again(admin: Client, smtp_server: MailSink) -> None:
    path = _path(_invite(admin, smtp_server))
    assert _join(Client(), path).status_code == 302
    again = Client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert get_user_model().objects.filter(email=NEW).count() == 1


def test_an_expired_invitation_is_refused(admin: Client, smtp_server: MailSink) -> None:
    path = _path(_invite(admin, smtp_server))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get(path)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    client = Client()
    assert (
        client.post(path, {"display_name": "x", "password": STRONG, "code": "1"}).status_code == 410
    )
    assert not get_user_model().objects.filter(email=NEW).exists()


def test_an_old_signature_is_expired_even_if_the_row_says_otherwise(
    admin: Client, smtp_server: MailSink, settings: Any
) -> None:
    path = _path(_invite(admin, smtp_server))
    settings.MASTHEAD_INVITATION_HOURS = 0
    assert Client().get(path).status_code == 410


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.dumps({"i": 1, "s": "guessed"}, salt=staffing.SALT),
        lambda token: signing.dumps({"i": 1, "s": "x"}, salt="another purpose"),
        lambda token: "not-a-token",
    ],
)
def test_forged_invitations_are_refused(
    admin: Client, smtp_server: MailSink, mangle: Callable[[str], str]
) -> None:
    path = _path(_invite(admin, smtp_server))
    token = path.rstrip("/").rsplit("/", 1)[1]
    response = Client().get(f"/newsroom/join/{mangle(token)}/")
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_newer_invitation_replaces_the_older_one(admin: Client, smtp_server: MailSink) -> None:
    first = _path(_invite(admin, smtp_server))
    admin.post("/newsroom/people/invite/", {"email": NEW, "role": "author"})
    assert Client().get(first).status_code == 410


def test_wrong_totp_code_or_weak_password_saves_nothing(
    admin: Client, smtp_server: MailSink
) -> None:
    path = _path(_invite(admin, smtp_server))
    client = Client()
    bad_code = _join(client, path, code="000000")
    assert bad_code.status_code == 400 and "does not match" in bad_code.content.decode()
    weak = _join(client, path, password="short")
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    assert not get_user_model().objects.filter(email=NEW).exists()
    assert Invitation.objects.get().accepted_at is None
    assert _join(client, path).status_code == 302  # the same link still works


def test_the_mail_server_refusing_leaves_no_invitation(
    admin: Client, smtp_server: MailSink
) -> None:
    smtp_server.reply = "554 no thanks"
    response = admin.post("/newsroom/people/invite/", {"email": NEW, "role": "editor"})
    assert response.status_code == 503
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_account_is_refused(admin: Client, smtp_server: MailSink) -> None:
    make_staff(None, "reader@example.com")
    response = admin.post(
        "/newsroom/people/invite/", {"email": "Reader@example.com", "role": "author"}
    )
    assert response.status_code == 409
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists() and smtp_server.messages == []


@pytest.mark.parametrize("role", ["author", "editor"])
def test_non_admins_cannot_invite_or_change_people(
    signed_in: Signed, smtp_server: MailSink, role: str
) -> None:
    client = signed_in(role)
    victim = make_staff("author", "victim@example.com")
    assert (
        client.post("/newsroom/people/invite/", {"email": NEW, "role": "author"}).status_code == 403
    )
    assert client.post(f"/newsroom/people/{victim.pk}/role/", {"role": "editor"}).status_code == 403
    assert client.post(f"/newsroom/people/{victim.pk}/remove/").status_code == 403
    assert not Invitation.objects.exists() and smtp_server.messages == []
    assert roles.roles_of(victim) == {"author"}


def test_admin_cannot_grant_admin_or_touch_peers(admin: Client, smtp_server: MailSink) -> None:
    response = admin.post("/newsroom/people/invite/", {"email": NEW, "role": "admin"})
    assert response.status_code == 400  # not one of the offered roles
    peer = make_staff("admin", "peer@example.com")
    assert admin.post(f"/newsroom/people/{peer.pk}/remove/").status_code == 403
    assert admin.post(f"/newsroom/people/{peer.pk}/role/", {"role": "author"}).status_code == 403
    own = admin.user  # type: ignore[attr-defined]
    assert admin.post(f"/newsroom/people/{own.pk}/remove/").status_code == 403
    assert roles.roles_of(peer) == {"admin"} and roles.roles_of(own) == {"admin"}


def test_admin_changes_a_role_and_removes_staff(admin: Client) -> None:
    author = make_staff("author", "writer@example.com", name="Wren Writer")
    page = admin.get("/newsroom/people/").content.decode()
    assert "Wren Writer" in page and "writer@example.com" in page
    assert admin.post(f"/newsroom/people/{author.pk}/role/", {"role": "editor"}).status_code == 302
    assert roles.roles_of(author) == {"editor"}
    bad = admin.post(f"/newsroom/people/{author.pk}/role/", {"role": "owner"})
    assert bad.status_code == 400
    assert admin.post(f"/newsroom/people/{author.pk}/remove/").status_code == 302
    author.refresh_from_db()
    assert roles.roles_of(author) == set() and not author.is_staff
    assert get_user_model().objects.filter(pk=author.pk).exists()


def test_signed_in_visitor_is_told_to_sign_out(
    admin: Client, smtp_server: MailSink, signed_in: Signed
) -> None:
    path = _path(_invite(admin, smtp_server))
    response = signed_in(None).get(path)
    assert response.status_code == 409
    assert "signed in as someone else" in response.content.decode()
