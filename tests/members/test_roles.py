"""Roles, the admin's two-factor gate and who may grant power (A20)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory

from masthead.blog.models import Post
from masthead.members import roles
from tests.fixtures import staff
from tests.fixtures.staff import login_past_totp
from tests.members.conftest import PASSWORD, make_member, staff_with_totp


def _request(user: Any) -> Any:
    request = RequestFactory().get("/admin/blog/post/")
    request.user = user
    return request


@pytest.fixture
def posts() -> dict[str, Post]:
    mine = Post.objects.create(title="Mine", slug="mine", body="Hello")
    theirs = Post.objects.create(title="Theirs", slug="theirs", body="Hi")
    return {"mine": mine, "theirs": theirs}


def test_role_groups_exist_with_their_permissions():
    perms = {
        group.name: {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for group in Group.objects.filter(name__in=roles.ROLES)
    }
    assert set(perms) == {"author", "editor", "admin"}
    assert "blog.change_post" in perms["author"]
    assert "blog.delete_post" not in perms["author"]
    assert "blog.change_tag" in perms["editor"]
    assert not any(code.startswith("auth.") for code in perms["editor"])
    assert "auth.change_user" in perms["admin"]


def test_publish_and_edit_checks(posts):
    author = staff_with_totp("author", "author@example.com")
    editor = staff_with_totp("editor", "editor@example.com")
    reader = make_member()
    posts["mine"].authors.add(author)
    assert roles.can_edit_post(author, posts["mine"])
    assert not roles.can_edit_post(author, posts["theirs"])
    assert not roles.can_publish(author)
    assert roles.can_publish(editor) and roles.can_edit_post(editor, posts["theirs"])
    assert not roles.can_edit_post(reader, posts["mine"])
    assert not roles.can_manage_roles(editor)


def test_author_cannot_publish_or_see_others_posts_in_admin(posts):
    author = staff_with_totp("author", "author@example.com")
    posts["mine"].authors.add(author)
    post_admin = admin.site._registry[Post]
    request = _request(author)
    assert list(post_admin.get_queryset(request)) == [posts["mine"]]
    assert {"status", "published_at", "visibility"} <= set(post_admin.get_readonly_fields(request))
    assert "publish" not in post_admin.get_actions(request)
    assert not post_admin.has_change_permission(request, posts["theirs"])
    assert not post_admin.has_delete_permission(request, posts["mine"])

    editor_request = _request(staff_with_totp("editor", "editor@example.com"))
    assert "publish" in post_admin.get_actions(editor_request)
    assert "status" not in post_admin.get_readonly_fields(editor_request)


def test_author_cannot_open_another_authors_post(client, posts):
    author = staff_with_totp("author", "author@example.com")
    posts["mine"].authors.add(author)
    login_past_totp(client, author)
    assert client.get(f"/admin/blog/post/{posts['mine'].pk}/change/").status_code == 200
    response = client.get(f"/admin/blog/post/{posts['theirs'].pk}/change/")
    assert response.status_code == 302  # "does not exist" for them
    assert "Theirs" not in client.get("/admin/blog/post/").content.decode()


def test_editor_cannot_change_roles(client):
    editor = staff_with_totp("editor", "editor@example.com")
    reader = make_member()
    login_past_totp(client, editor)
    assert client.get(f"/admin/auth/user/{reader.pk}/change/").status_code == 403
    response = client.post(
        f"/admin/auth/user/{reader.pk}/change/", {"groups": [Group.objects.get(name="admin").pk]}
    )
    assert response.status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert not reader.groups.exists()


def test_admin_role_cannot_make_superusers(client):
    boss = staff_with_totp("admin", "boss@example.com")
    reader = make_member()
    login_past_totp(client, boss)
    response = client.get(f"/admin/auth/user/{reader.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="groups"' in html
    assert 'name="is_superuser"' not in html


def test_staff_without_totp_is_sent_to_set_it_up(client):
    user = make_member("new-staff@example.com")
    roles.role_assign(user=user, role="editor")
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"


def test_staff_with_totp_must_pass_it_this_session(client):
    user = staff_with_totp("editor", "editor@example.com")
    client.force_login(user)
    response = client.get("/admin/blog/post/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/reauthenticate/?next=%2Fadmin%2Fblog%2Fpost%2F"
    login_past_totp(client, user)
    assert client.get("/admin/").status_code == 200


def test_members_never_reach_the_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_sign_in_with_password_and_totp_reaches_admin():
    user = make_member("totp@example.com")
    roles.role_assign(user=user, role="editor")
    secret = totp.generate_totp_secret()
    totp.TOTP.activate(user, secret)
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    counter = int(time.time()) // 30
    code = totp.format_hotp_value(totp.hotp_value(secret, counter))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("steps_ago", "taken"), [(0, True), (1, True), (2, False)])
def test_a_code_whose_step_just_ran_out_is_still_taken(
    monkeypatch: pytest.MonkeyPatch, steps_ago: int, taken: bool
) -> None:
    """A staff member types the code their phone shows as its 30 seconds run out: the code
    of the step before is taken, one older is not."""
    secret = totp.generate_totp_secret()
    now = 1_800_000_015.0  # 15 seconds into a step: the test cannot cross a step's end
    monkeypatch.setattr(totp.time, "time", lambda: now)
    code = totp.format_hotp_value(totp.hotp_value(secret, int(now) // 30 - steps_ago))
    assert totp.validate_totp_code(secret, code) is taken


# --- The role order: no climbing (issue 10, finding 4) ----------------------------------------


@pytest.fixture
def boss(client):
    """An admin-role account signed in past TOTP on ``client``."""
    user = staff_with_totp("admin", "boss@example.com")
    login_past_totp(client, user)
    return user


@pytest.fixture
def root():
    return staff.superuser("root", "root@example.com")


def _group_ids(*names: str) -> list[str]:
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def _user_form(user: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": user.username, "email": user.email, "first_name": "", "last_name": "",
        "is_active": "on", "is_staff": "on" if user.is_staff else "",
        "groups": _group_ids(*roles.roles_of(user)),
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_role_order():
    reader = make_member()
    author = staff_with_totp("author", "a@example.com")
    editor = staff_with_totp("editor", "e@example.com")
    boss = staff_with_totp("admin", "boss@example.com")
    root = staff.superuser("root", "root@example.com")
    ranks = [roles.rank_of(user) for user in (reader, author, editor, boss, root)]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
    assert roles.grantable_roles(boss) == ["author", "editor"]
    assert roles.grantable_roles(editor) == ["author"]
    assert roles.may_act_on(boss, editor) and not roles.may_act_on(boss, boss)
    assert not roles.may_act_on(boss, root) and roles.may_act_on(root, root)
    users = [reader, author, editor, boss, root]
    model = type(root)
    for actor in users:
        for account in users:  # the set-wise filter says what the per-row check says
            hidden = model.objects.filter(pk=account.pk).filter(roles.outranking(actor))
            assert roles.may_act_on(actor, account) is not hidden.exists(), (actor, account)
    root.is_active = False
    assert roles.rank_of(root) == roles.SUPERUSER_RANK  # still nobody's to take over


def test_admin_cannot_raise_own_permissions(client, boss):
    response = client.post(
        f"/admin/auth/user/{boss.pk}/change/",
        _user_form(boss, groups=_group_ids("admin", "editor"), is_superuser="on"),
    )
    assert response.status_code == 403
    admin_group = Group.objects.get(name="admin")
    before = set(admin_group.permissions.values_list("pk", flat=True))
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    response = client.post(
        f"/admin/auth/group/{admin_group.pk}/change/",
        {"name": "admin", "permissions": everything},
    )
    assert response.status_code == 403
    assert set(admin_group.permissions.values_list("pk", flat=True)) == before
    boss.refresh_from_db()
    assert not boss.is_superuser and roles.roles_of(boss) == {"admin"}


def test_admin_cannot_touch_the_superusers_account(client, boss, root):
    base = f"/admin/auth/user/{root.pk}"
    assert client.get(f"{base}/password/").status_code == 403
    new = "a takeover password 123"
    response = client.post(
        f"{base}/password/", {"password1": new, "password2": new, "usable_password": "true"}
    )
    assert response.status_code == 403
    response = client.post(f"{base}/change/", _user_form(root, email="boss@example.com"))
    assert response.status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    reader = type(root).objects.create_user("plain", "plain@example.com")  # no related rows
    selected = [str(reader.pk), str(root.pk)]
    bulk = {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    assert client.post("/admin/auth/user/", bulk).status_code == 403  # all or nothing
    assert type(root).objects.filter(pk=reader.pk).exists()
    bulk["_selected_action"] = [str(reader.pk)]
    assert client.post("/admin/auth/user/", bulk).status_code == 302
    assert not type(root).objects.filter(pk=reader.pk).exists()
    root.refresh_from_db()
    assert root.check_password("x" * 20) and root.email == "root@example.com"


def test_admin_cannot_act_on_a_peer_admin(client, boss):
    peer = staff_with_totp("admin", "peer@example.com")
    assert client.post(f"/admin/auth/user/{peer.pk}/change/", _user_form(peer)).status_code == 403
    assert client.get(f"/admin/auth/user/{peer.pk}/password/").status_code == 403


def test_admin_cannot_take_over_the_superusers_email_or_authenticator(client, boss, root):
    """Even holding the authenticator permissions, the superuser's rows are out of reach."""
    admin_group = Group.objects.get(name="admin")
    admin_group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="mfa", codename__endswith="authenticator"
        )
    )
    address = EmailAddress.objects.create(user=root, email=root.email, verified=True, primary=True)
    response = client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {
            "user": str(root.pk),
            "email": "boss-owned@example.com",
            "verified": "on",
            "primary": "on",
        },
    )
    assert response.status_code == 403
    bulk = {"action": "make_verified", "_selected_action": [str(address.pk)]}
    assert client.post("/admin/account/emailaddress/", bulk).status_code == 403
    address.refresh_from_db()
    assert address.email == "root@example.com"

    [root_totp] = Authenticator.objects.filter(user=root)
    page = client.get(f"/admin/mfa/authenticator/{root_totp.pk}/change/")
    assert page.status_code == 200 and "secret" not in page.content.decode()
    url = f"/admin/mfa/authenticator/{root_totp.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [str(root_totp.pk)], "post": "yes"}
    assert client.post("/admin/mfa/authenticator/", bulk).status_code == 403
    assert Authenticator.objects.filter(pk=root_totp.pk).exists()

    author = staff_with_totp("author", "author@example.com")  # below the admin: allowed
    [author_totp] = Authenticator.objects.filter(user=author)
    url = f"/admin/mfa/authenticator/{author_totp.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=author_totp.pk).exists()


def test_admin_grants_only_roles_below_their_own(client, boss):
    reader = make_member()
    url = f"/admin/auth/user/{reader.pk}/change/"
    html = client.get(url).content.decode()
    assert ">editor<" in html and ">author<" in html and ">admin<" not in html
    response = client.post(url, _user_form(reader, groups=_group_ids("admin")))
    assert response.status_code == 200  # the form refuses the choice
    assert not reader.groups.exists()
    response = client.post(url, _user_form(reader, is_staff="on", groups=_group_ids("editor")))
    assert response.status_code == 302
    assert roles.roles_of(reader) == {"editor"}
