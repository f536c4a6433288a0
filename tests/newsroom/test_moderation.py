"""The newsroom's comment queue: reported and hidden comments for editors, with approve,
hide and delete; authors and members are refused, bad ids and actions get clear 4xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from masthead.blog.models import Post
from masthead.comments.models import Comment, CommentReport, CommentSettings
from tests.blog.factories import make_user, published_post

pytestmark = pytest.mark.django_db
Signed = Callable[..., Client]


@pytest.fixture
def post() -> Post:
    return published_post(slug="story", title="A story")


def _comment(post: Post, text: str, **extra: Any) -> Comment:
    return Comment.objects.create(
        post=post, author=make_user(), text=text, html=f"<p>{text}</p>", **extra
    )


def _version(post: Post) -> int:
    row = CommentSettings.objects.filter(post=post).first()
    return row.version if row else 1


def test_the_queue_lists_reported_and_hidden_comments_only(signed_in: Signed, post: Post) -> None:
    reported = _comment(post, "Rude words")
    CommentReport.objects.create(comment=reported, reporter=make_user(), reason="insulting")
    _comment(post, "Quiet hidden", status=Comment.Status.HIDDEN)
    _comment(post, "Fine comment")
    gone = _comment(post, "", status=Comment.Status.DELETED)
    CommentReport.objects.create(comment=gone, reporter=make_user(), reason="stale report")
    page = signed_in("editor").get("/newsroom/comments/")
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Rude words" in html and "insulting" in html and "reported 1\u00d7" in html
    assert "Quiet hidden" in html and "Fine comment" not in html and "stale report" not in html


def test_approve_clears_reports_and_shows_the_comment(signed_in: Signed, post: Post) -> None:
    hidden = _comment(post, "Fair point", status=Comment.Status.HIDDEN)
    CommentReport.objects.create(comment=hidden, reporter=make_user())
    before = _version(post)
    editor = signed_in("editor")
    response = editor.post(f"/newsroom/comments/{hidden.pk}/approve/")
    assert response.status_code == 302 and response["Location"] == "/newsroom/comments/"
    hidden.refresh_from_db()
    assert hidden.status == "visible" and not CommentReport.objects.exists()
    assert _version(post) == before + 1  # readers' cached list is replaced
    post.refresh_from_db()
    assert post.comment_count == 1
    assert "Nothing to review" in editor.get("/newsroom/comments/").content.decode()


def test_hide_and_delete(signed_in: Signed, post: Post) -> None:
    one, two = _comment(post, "One"), _comment(post, "Two")
    admin = signed_in("admin")
    assert admin.post(f"/newsroom/comments/{one.pk}/hide/").status_code == 302
    assert admin.post(f"/newsroom/comments/{two.pk}/delete/").status_code == 302
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == "hidden" and one.text == "One"
    assert two.status == "deleted" and two.text == ""
    again = admin.post(f"/newsroom/comments/{two.pk}/hide/", follow=True)
    assert "That comment was deleted." in again.content.decode()
    two.refresh_from_db()
    assert two.status == "deleted"


@pytest.mark.parametrize("role", ["author", None])
def test_only_editors_and_admins(signed_in: Signed, post: Post, role: str | None) -> None:
    comment = _comment(post, "Keep me", status=Comment.Status.HIDDEN)
    client = signed_in(role)
    assert client.get("/newsroom/comments/").status_code == 403
    assert client.post(f"/newsroom/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "hidden" and comment.text == "Keep me"


def test_signed_out_goes_to_sign_in(client: Client, post: Post) -> None:
    comment = _comment(post, "Keep me")
    response = client.post(f"/newsroom/comments/{comment.pk}/delete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Comment.objects.get().status == "visible"


def test_bad_ids_and_actions(signed_in: Signed, post: Post) -> None:
    comment = _comment(post, "Keep me")
    editor = signed_in("editor")
    assert editor.post("/newsroom/comments/999999/delete/").status_code == 404
    assert editor.post("/newsroom/comments/abc/delete/").status_code == 404
    wrong = editor.post(f"/newsroom/comments/{comment.pk}/publish/")
    assert wrong.status_code == 400 and "not something" in wrong.content.decode()
    assert editor.get(f"/newsroom/comments/{comment.pk}/delete/").status_code == 405
    comment.refresh_from_db()
    assert comment.status == "visible"
