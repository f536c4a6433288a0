"""Comments through the site's own URLs: every rule, every refusal, nothing half-stored."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from masthead.blog.models import Post
from masthead.comments.models import Comment, CommentReport, CommentSettings
from masthead.core import pagecache
from tests.blog.factories import make_author, make_user, published_post
from tests.fixtures.staff import login_past_totp, with_totp

pytestmark = pytest.mark.usefixtures("celery_eager_raising")


@pytest.fixture
def writer() -> Any:
    return make_author(display_name="Nadia Okafor", slug="nadia")


@pytest.fixture
def post(writer: Any) -> Post:
    return published_post(slug="story", title="A story", authors=[writer])


@pytest.fixture
def member() -> Any:
    return make_user(username="reader", email="reader@example.com")


@pytest.fixture
def signed_in(client: Client, member: Any) -> Client:
    client.force_login(member)
    return client


@pytest.fixture
def staff_client() -> Client:
    user = with_totp(make_user(username="ed", email="ed@example.com", is_staff=True))
    client = Client()
    login_past_totp(client, user)
    return client


def _post(client: Client, text: str, **extra: Any) -> Any:
    return client.post("/story/comments/", {"text": text, **extra})


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what a change queues after its commit (the notices) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _ld(html: str) -> dict[str, Any]:
    for block in re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S):
        data = json.loads(block)
        if isinstance(data, dict) and data.get("@type") == "BlogPosting":
            return data
    raise AssertionError("no BlogPosting JSON-LD")


def test_a_member_comments_and_the_count_reaches_the_json_ld(signed_in: Client, post: Post) -> None:
    response = _post(signed_in, "Lovely piece. More at https://example.com/x")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/story/comments/#c-{comment.pk}"
    assert comment.author.username == "reader" and not comment.by_staff
    assert 'rel="nofollow ugc noopener"' in comment.html
    post.refresh_from_db()
    assert post.comment_count == 1
    assert _ld(Client().get("/story/").content.decode())["commentCount"] == 1
    listing = Client().get("/story/comments/list/").content.decode()
    assert "Lovely piece." in listing and 'href="https://example.com/x"' in listing


def test_back_to_the_post_when_posted_from_it(signed_in: Client, post: Post) -> None:
    response = _post(signed_in, "Hello", back="post")
    assert response["Location"] == f"/story/#c-{Comment.objects.get().pk}"


def test_visitors_cannot_comment(client: Client, post: Post) -> None:
    response = _post(client, "Hello")
    assert response.status_code == 403 and "Sign in" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("x" * 1_048_576, 413, "up to 5,000 characters; this one has 1,048,576"),
        ("https://a.test " * 10_000, 413, "up to 5,000 characters"),
        ("see https://a.test " * 11, 400, "up to 10 links; this one has 11"),
        ("  \x00\x00  ", 400, "Write something"),
    ],
)
def test_bad_comments_get_a_clear_refusal_and_store_nothing(
    signed_in: Client, post: Post, text: str, status: int, message: str
) -> None:
    response = _post(signed_in, text)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.comment_count == 0


def test_ten_thousand_links_within_the_length_limit_are_refused(
    signed_in: Client, post: Post, settings: Any
) -> None:
    settings.MASTHEAD_COMMENT_MAX_CHARS = 200_000
    response = _post(signed_in, "http://a " * 10_000)
    assert response.status_code == 400 and "this one has 10,000" in response.content.decode()
    assert not Comment.objects.exists()


def test_markup_is_escaped_on_every_page(signed_in: Client, post: Post) -> None:
    _post(signed_in, '<script>alert("x")</script><a href="javascript:alert(1)">hi</a>')
    for url in ("/story/comments/", "/story/comments/list/"):
        for client in (signed_in, Client()):
            html = client.get(url).content.decode()
            assert '<script>alert("x")' not in html and 'href="javascript' not in html
            assert "&lt;script&gt;" in html


def test_one_level_of_replies(signed_in: Client, post: Post) -> None:
    _post(signed_in, "Top")
    top = Comment.objects.get()
    _post(signed_in, "First reply", parent=str(top.pk))
    reply = Comment.objects.get(text="First reply")
    _post(signed_in, "Reply to the reply", parent=str(reply.pk))
    nested = Comment.objects.get(text="Reply to the reply")
    assert reply.parent_id == top.pk and nested.parent_id == top.pk


@pytest.mark.parametrize("status", [Comment.Status.HIDDEN, Comment.Status.DELETED])
def test_a_reply_to_a_removed_comment_is_refused(
    signed_in: Client, post: Post, status: str
) -> None:
    _post(signed_in, "Top")
    Comment.objects.update(status=status)
    response = _post(signed_in, "Reply", parent=str(Comment.objects.get().pk))
    assert response.status_code == 409 and "cannot be replied to" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_reply_must_point_at_a_comment_of_this_post(signed_in: Client, post: Post) -> None:
    other = published_post(slug="other")
    elsewhere = Comment.objects.create(post=other, author=make_user(), text="a", html="a")
    assert _post(signed_in, "Reply", parent=str(elsewhere.pk)).status_code == 404
    assert _post(signed_in, "Reply", parent="1; DROP TABLE").status_code == 400
    assert Comment.objects.count() == 1


def test_edit_within_the_window_only_and_only_ones_own(
    signed_in: Client, post: Post, member: Any
) -> None:
    _post(signed_in, "Frist")
    comment = Comment.objects.get()
    assert signed_in.post(f"/comments/{comment.pk}/edit/", {"text": "First"}).status_code == 302
    comment.refresh_from_db()
    assert comment.text == "First" and comment.edited_at is not None
    other = Client()
    other.force_login(make_user())
    response = other.post(f"/comments/{comment.pk}/edit/", {"text": "Hijacked"})
    assert response.status_code == 403
    Comment.objects.update(created_at=comment.created_at - timedelta(minutes=16))
    response = signed_in.post(f"/comments/{comment.pk}/edit/", {"text": "Late change"})
    assert response.status_code == 403 and "15 minutes" in response.content.decode()
    comment.refresh_from_db()
    assert comment.text == "First"


def test_an_edit_is_held_to_the_same_limits(signed_in: Client, post: Post) -> None:
    _post(signed_in, "Fine")
    pk = Comment.objects.get().pk
    response = signed_in.post(f"/comments/{pk}/edit/", {"text": "x" * 1_000_000})
    assert response.status_code == 413
    assert Comment.objects.get().text == "Fine"


def test_members_delete_their_own_only(signed_in: Client, post: Post) -> None:
    _post(signed_in, "Mine")
    comment = Comment.objects.get()
    other = Client()
    other.force_login(make_user())
    assert other.post(f"/comments/{comment.pk}/delete/").status_code == 403
    assert signed_in.post(f"/comments/{comment.pk}/delete/").status_code == 302
    comment.refresh_from_db()
    assert comment.status == "deleted" and comment.text == "" and comment.html == ""
    post.refresh_from_db()
    assert post.comment_count == 0
    assert "Mine" not in Client().get("/story/comments/list/").content.decode()


def test_staff_reply_with_a_badge_and_moderate(
    signed_in: Client, staff_client: Client, post: Post
) -> None:
    _post(signed_in, "Reader's point")
    top = Comment.objects.get()
    staff_client.post("/story/comments/", {"text": "Thanks!", "parent": str(top.pk)})
    reply = Comment.objects.get(text="Thanks!")
    assert reply.by_staff and reply.parent_id == top.pk
    listing = Client().get("/story/comments/list/").content.decode()
    badge = re.search(rf'id="c-{reply.pk}".*?</header>', listing, re.S)
    assert badge and "badge--staff" in badge.group(0)
    assert staff_client.post(f"/comments/{top.pk}/hide/", {"hidden": "1"}).status_code == 302
    listing = Client().get("/story/comments/list/").content.decode()
    assert "Reader&#x27;s point" not in listing and "hidden by the editors" in listing
    assert "Reader&#x27;s point" in staff_client.get("/story/comments/list/").content.decode()
    assert staff_client.post(f"/comments/{top.pk}/delete/").status_code == 302
    assert Comment.objects.get(pk=top.pk).status == "deleted"


def test_staff_without_two_factor_cannot_moderate(post: Post, signed_in: Client) -> None:
    _post(signed_in, "Point")
    pk = Comment.objects.get().pk
    half = Client()
    half.force_login(make_user(is_staff=True))
    assert half.post(f"/comments/{pk}/hide/").status_code == 403
    assert half.post("/story/comments/close/").status_code == 403
    assert signed_in.post(f"/comments/{pk}/hide/").status_code == 403
    assert Comment.objects.get().status == "visible"
    assert not CommentSettings.objects.filter(closed=True).exists()


def test_staff_close_comments_per_post(signed_in: Client, staff_client: Client, post: Post) -> None:
    assert staff_client.post("/story/comments/close/", {"closed": "1"}).status_code == 302
    response = _post(signed_in, "Too late")
    assert response.status_code == 403 and "closed" in response.content.decode()
    assert not Comment.objects.exists()
    assert "Comments are closed" in Client().get("/story/comments/list/").content.decode()
    staff_client.post("/story/comments/close/", {"closed": "0"})
    assert _post(signed_in, "Open again").status_code == 302


def test_a_reader_reports_a_comment_once(signed_in: Client, post: Post) -> None:
    author = make_user()
    comment = Comment.objects.create(post=post, author=author, text="Rude", html="<p>Rude</p>")
    url = f"/comments/{comment.pk}/report/"
    assert Client().post(url, {"reason": "spam"}).status_code == 403
    assert signed_in.post(url, {"reason": "spam\x00"}).status_code == 302
    assert signed_in.post(url, {"reason": "again"}).status_code == 302
    [report] = CommentReport.objects.all()
    assert report.reason == "spam" and report.reporter.username == "reader"


def test_members_only_comments_stay_with_members(signed_in: Client) -> None:
    locked = published_post(slug="story", visibility="members")
    Comment.objects.create(post=locked, author=make_user(), text="Inside", html="<p>Inside</p>")
    assert "Inside" not in Client().get("/story/comments/list/").content.decode()
    assert "Inside" not in Client().get("/story/comments/").content.decode()
    assert "Inside" in signed_in.get("/story/comments/list/").content.decode()


def test_drafts_have_no_comments(signed_in: Client) -> None:
    published_post(slug="story", status=Post.Status.DRAFT)
    assert signed_in.get("/story/comments/list/").status_code == 404
    assert _post(signed_in, "Hi").status_code == 404


def test_a_member_is_held_to_the_flood_limit(signed_in: Client, post: Post, settings: Any) -> None:
    settings.MASTHEAD_COMMENT_RATE_MEMBER = 3
    for n in range(3):
        assert _post(signed_in, f"n{n}").status_code == 302
    response = _post(signed_in, "one too many")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Please wait" in response.content.decode()
    assert Comment.objects.count() == 3


def test_many_members_from_one_address_are_held_behind_a_proxy(post: Post, settings: Any) -> None:
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = 1
    settings.MASTHEAD_COMMENT_RATE_IP = 2
    statuses = []
    for n in range(4):
        client = Client()
        client.force_login(make_user())
        # the client forges the leftmost entry; our proxy appended the real address
        forwarded = f"10.0.0.{n}, 203.0.113.7"
        response = client.post(
            "/story/comments/", {"text": f"n{n}"}, HTTP_X_FORWARDED_FOR=forwarded
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429, 429]
    assert Comment.objects.count() == 2


def test_visitors_get_the_post_from_the_page_cache_and_a_fresh_list(
    signed_in: Client, post: Post, settings: Any
) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()
    visitor = Client()
    assert visitor.get("/story/")["X-Page-Cache"] == "miss"
    first = visitor.get("/story/comments/list/")
    assert first["X-Comments-Cache"] == "miss"
    assert visitor.get("/story/comments/list/")["X-Comments-Cache"] == "hit"
    _post(signed_in, "Brand new comment")
    page = visitor.get("/story/")
    assert page["X-Page-Cache"] == "hit"
    body = page.content.decode()
    assert "Brand new comment" not in body and 'data-comments-src="/story/comments/list/"' in body
    assert 'href="/story/comments/"' in body  # the way in without JavaScript
    fresh = visitor.get("/story/comments/list/")
    assert fresh["X-Comments-Cache"] == "miss" and "Brand new comment" in fresh.content.decode()
    assert "csrfmiddlewaretoken" not in fresh.content.decode()


def test_the_post_author_is_emailed_about_a_new_comment(
    signed_in: Client, post: Post, writer: Any, on_commit: Any
) -> None:
    with on_commit():
        _post(signed_in, "Great read")
    [message] = mail.outbox
    assert message.to == [writer.user.email]
    assert "A story" in message.subject and "Great read" in message.body
    assert f"https://masthead.test/story/comments/#c-{Comment.objects.get().pk}" in message.body


def test_a_reply_notifies_the_commenter_unless_they_opted_out(
    signed_in: Client, staff_client: Client, post: Post, member: Any, writer: Any, on_commit: Any
) -> None:
    _post(signed_in, "Question?")
    top = Comment.objects.get()
    with on_commit():
        staff_client.post("/story/comments/", {"text": "Answer.", "parent": str(top.pk)})
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["reader@example.com", writer.user.email]
    reply_mail = next(m for m in mail.outbox if m.to == ["reader@example.com"])
    assert "replied to your comment" in reply_mail.subject and "Answer." in reply_mail.body

    assert signed_in.post("/comments/notifications/", {"on": "0"}).status_code == 302
    mail.outbox.clear()
    with on_commit():
        staff_client.post("/story/comments/", {"text": "Another.", "parent": str(top.pk)})
    assert [m.to for m in mail.outbox] == [[writer.user.email]]


def test_no_email_about_ones_own_comment(post: Post, writer: Any, on_commit: Any) -> None:
    client = Client()
    client.force_login(writer.user)
    with on_commit() as callbacks:
        client.post("/story/comments/", {"text": "Author here"})
    notices = [c for c in callbacks if getattr(c, "func", c).__name__ == "_notify_later"]
    assert len(notices) == 1  # the notice ran, and chose to send nothing
    assert mail.outbox == []


def test_the_account_page_switches_comment_email(signed_in: Client, member: Any) -> None:
    page = signed_in.get("/accounts/").content.decode()
    assert "Stop emails about comments" in page
    signed_in.post("/comments/notifications/", {"on": "0"})
    assert "Email me about replies" in signed_in.get("/accounts/").content.decode()


def test_the_data_export_has_the_members_comments(signed_in: Client, post: Post) -> None:
    _post(signed_in, "Exported words")
    from masthead.comments.services import comments_export

    data = comments_export(Comment.objects.get().author)
    assert data["comments"][0]["text"] == "Exported words" and data["email_about_comments"]
