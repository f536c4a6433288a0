"""The signed-in comment list as one shared copy plus a small part per reader (ADR 0121),
and every comment action answering a fetch with JSON (in-place forms)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from masthead.blog.models import Post
from masthead.comments.models import Comment, CommentReport
from masthead.members.models import Profile
from tests.blog.factories import make_author, make_user, published_post

pytestmark = pytest.mark.usefixtures("celery_eager_raising")
JSON = {"Accept": "application/json"}


@pytest.fixture
def post() -> Post:
    return published_post(slug="story", title="A story", authors=[make_author(slug="w")])


def _member(name: str, email: str) -> Client:
    user = make_user(username=email.split("@")[0], email=email)
    Profile.objects.update_or_create(user=user, defaults={"display_name": name})
    client = Client()
    client.force_login(user)
    client.user = user  # type: ignore[attr-defined]
    return client


def _reader(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="comments-reader" type="application/json">(.*?)</script>', html)
    assert match, "no reader part"
    return dict(json.loads(match.group(1)))


def _shared(html: str) -> str:
    return html.split("<form", 1)[0].split('<script id="comments-reader"', 1)[0]


def test_members_share_one_cached_copy_and_get_only_their_own_part(post: Post) -> None:
    ann = _member("Ann", "ann@example.com")
    bob = _member("Bob", "bob@example.com")
    ann.post("/story/comments/", {"text": "Ann's point"})
    bob.post("/story/comments/", {"text": "Bob's point"})
    a_pk = Comment.objects.get(author=ann.user).pk  # type: ignore[attr-defined]
    b_pk = Comment.objects.get(author=bob.user).pk  # type: ignore[attr-defined]

    first = ann.get("/story/comments/list/")
    second = bob.get("/story/comments/list/")
    assert first["X-Comments-Cache"] == "miss" and second["X-Comments-Cache"] == "hit"
    assert "private" in first["Cache-Control"]
    a_html, b_html = first.content.decode(), second.content.decode()
    assert _shared(a_html) == _shared(b_html)  # one rendering for every member
    shared = _shared(a_html)
    assert "csrfmiddlewaretoken" not in shared and "ann@example.com" not in shared
    assert f'data-reply="{a_pk}"' in shared and f"?reply={a_pk}#reply-{a_pk}" in shared
    assert _reader(a_html)["mine"] == [a_pk]
    assert _reader(a_html)["editable"] == {str(a_pk): "Ann's point"}
    assert _reader(b_html)["mine"] == [b_pk] and "Ann&#x27;s point" not in _reader_part(b_html)
    assert "csrfmiddlewaretoken" in a_html  # the reader's own forms

    # Visitors get their own copy, with no reply links and no forms.
    visitor = Client().get("/story/comments/list/").content.decode()
    assert "data-reply" not in visitor and "comments-reader" not in visitor


def _reader_part(html: str) -> str:
    return html[len(_shared(html)) :]


def test_any_change_gives_members_a_fresh_copy(post: Post) -> None:
    ann = _member("Ann", "ann@example.com")
    ann.post("/story/comments/", {"text": "Before"})
    assert ann.get("/story/comments/list/")["X-Comments-Cache"] == "miss"
    assert ann.get("/story/comments/list/")["X-Comments-Cache"] == "hit"
    pk = Comment.objects.get().pk
    ann.post(f"/comments/{pk}/edit/", {"text": "After"})
    fresh = ann.get("/story/comments/list/")
    assert fresh["X-Comments-Cache"] == "miss"
    assert "After" in fresh.content.decode() and "Before" not in fresh.content.decode()


def test_past_the_edit_window_a_comment_is_mine_but_not_editable(post: Post) -> None:
    ann = _member("Ann", "ann@example.com")
    ann.post("/story/comments/", {"text": "Old"})
    Comment.objects.update(created_at=Comment.objects.get().created_at - timedelta(hours=1))
    reader = _reader(ann.get("/story/comments/list/").content.decode())
    assert reader["mine"] == [Comment.objects.get().pk] and reader["editable"] == {}


def test_members_only_post_shared_copy_is_for_members_only(post: Post) -> None:
    locked = published_post(slug="inside", visibility="members")
    Comment.objects.create(post=locked, author=make_user(), text="Inside", html="<p>Inside</p>")
    assert "Inside" not in Client().get("/inside/comments/list/").content.decode()
    member = _member("Ann", "ann@example.com")
    assert "Inside" in member.get("/inside/comments/list/").content.decode()
    assert "Inside" not in Client().get("/inside/comments/list/").content.decode()


def test_the_reply_link_without_javascript_opens_that_reply_form(post: Post) -> None:
    ann = _member("Ann", "ann@example.com")
    ann.post("/story/comments/", {"text": "Top"})
    pk = Comment.objects.get().pk
    page = ann.get(f"/story/comments/?reply={pk}").content.decode()
    assert f'<details class="comment__more comment__reply" id="reply-{pk}" open>' in page
    assert 'for="reply-text-' in page
    assert " open>" not in ann.get("/story/comments/?reply=x").content.decode()


def test_a_fetch_gets_json_for_each_action(post: Post) -> None:
    ann = _member("Ann", "ann@example.com")
    bob = _member("Bob", "bob@example.com")
    posted = ann.post("/story/comments/", {"text": "Hello", "back": "post"}, headers=JSON)
    pk = Comment.objects.get().pk
    assert posted.status_code == 200
    assert posted.json() == {"message": "Your comment is up.", "anchor": f"c-{pk}"}
    reply = bob.post("/story/comments/", {"text": "Hi", "parent": str(pk)}, headers=JSON)
    reply_pk = Comment.objects.get(text="Hi").pk
    assert reply.json()["anchor"] == f"c-{reply_pk}"
    assert Comment.objects.get(pk=reply_pk).parent_id == pk
    edited = ann.post(f"/comments/{pk}/edit/", {"text": "Hello!"}, headers=JSON)
    assert edited.json()["anchor"] == f"c-{pk}"
    reported = bob.post(f"/comments/{pk}/report/", {"reason": "rude"}, headers=JSON)
    assert reported.json()["message"].startswith("Thank you")
    assert CommentReport.objects.get().reason == "rude"
    deleted = bob.post(f"/comments/{reply_pk}/delete/", headers=JSON)
    assert deleted.status_code == 200 and deleted.json()["anchor"] == "comments"
    assert Comment.objects.get(pk=reply_pk).status == "deleted"


@pytest.mark.parametrize(
    ("text", "status", "code", "message"),
    [
        ("   ", 400, "empty", "Write something"),
        ("x" * 6000, 413, "too_long", "up to 5,000 characters"),
    ],
)
def test_a_fetch_gets_the_specific_refusal_and_nothing_is_stored(
    post: Post, text: str, status: int, code: str, message: str
) -> None:
    ann = _member("Ann", "ann@example.com")
    refused = ann.post("/story/comments/", {"text": text}, headers=JSON)
    assert refused.status_code == status and message in refused.json()["message"]
    assert refused.json()["error"]
    assert not Comment.objects.exists()


def test_a_fetch_when_signed_out_or_rate_limited_says_so(post: Post, settings: Any) -> None:
    signed_out = Client().post("/story/comments/", {"text": "Hi"}, headers=JSON)
    assert signed_out.status_code == 403
    assert signed_out.json() == {"error": "sign_in_required", "message": "Sign in to comment."}
    settings.MASTHEAD_COMMENT_RATE_MEMBER = 1
    ann = _member("Ann", "ann@example.com")
    assert ann.post("/story/comments/", {"text": "One"}, headers=JSON).status_code == 200
    limited = ann.post("/story/comments/", {"text": "Two"}, headers=JSON)
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0
    assert Comment.objects.count() == 1
    other = _member("Bob", "bob@example.com")
    pk = Comment.objects.get().pk
    forbidden = other.post(f"/comments/{pk}/edit/", {"text": "Mine now"}, headers=JSON)
    assert forbidden.status_code == 403 and "your own" in forbidden.json()["message"]
