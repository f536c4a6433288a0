"""Roles, the admin's two-factor gate and who may grant power (A20)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal import auth as totp
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory

from masthead.blog.models import Post
from masthead.members import roles
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
    login_past_totp(client, boss)
    response = client.get(f"/admin/auth/user/{boss.pk}/change/")
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
