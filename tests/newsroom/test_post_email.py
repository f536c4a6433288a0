"""The newsroom's two joins with the rest of the site: emailing a post from the editor's
Publish panel (through ``masthead.newsletter.posts.send_post``, real SMTP sink) and the
author picker in the post settings panel. Every refusal leaves nothing stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from masthead.blog.models import Post
from masthead.members import roles
from masthead.newsletter import sending
from masthead.newsletter.models import Issue, PostSendIntent, Subscriber
from tests.fixtures.smtp import MailSink
from tests.newsletter.factories import subscribers
from tests.newsroom.conftest import make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]


def _mailer(signed_in: Any) -> Client:
    """An editor who also holds the newsletter's permission."""
    client: Client = signed_in(roles.EDITOR)
    client.user.user_permissions.add(  # type: ignore[attr-defined]
        Permission.objects.get(content_type__app_label="newsletter", codename="add_issue")
    )
    return client


def _draft(client: Client, title: str = "A draft") -> Post:
    response = client.post("/newsroom/posts/new/", {"title": title})
    assert response.status_code == 302, response
    return Post.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _publish(client: Client, post: Post, **extra: str) -> Any:
    data = {"action": "publish", "visibility": "public", **extra}
    return client.post(f"/newsroom/posts/{post.pk}/publish/", data, follow=True)


def _send(client: Client, post: Post, **extra: str) -> Any:
    return client.post(f"/newsroom/posts/{post.pk}/send/", extra, follow=True)


# --- email while publishing -----------------------------------------------------------------


def test_publish_now_and_email_every_subscriber(signed_in: Any, smtp_server: MailSink) -> None:
    subscribers(2)
    Subscriber.objects.create(email="pending@example.com", status="pending")
    client = _mailer(signed_in)
    post = _draft(client, "Big news")
    editor_page = client.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert "When it is published, also email it to" in editor_page
    assert 'name="email_to" value="" checked' in editor_page  # nobody, unless chosen
    page = _publish(client, post, email_to="subscribers").content.decode()
    assert "Published. It is live on the site. Emailing it to 2 subscribers." in page
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    issue = Issue.objects.get(kind="post", post=post)
    assert (issue.audience, issue.recipients, issue.status) == ("subscribers", 2, "sent")
    assert len(smtp_server.messages) == 2 and smtp_server.to("pending@example.com") == []
    assert smtp_server.messages[0].subject == "Big news"
    # The panel shows the send, and offers neither choice again.
    assert "data-email-state" in page and "2 recipients, 2 delivered" in page
    assert f"/{post.slug}/" in page and "Web version" in page
    assert "data-email-send" not in page and 'name="email_to"' not in page


def test_publish_without_choosing_sends_nothing(signed_in: Any, smtp_server: MailSink) -> None:
    subscribers(1)
    client = _mailer(signed_in)
    post = _draft(client)
    _publish(client, post, email_to="")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert not Issue.objects.exists() and smtp_server.messages == []


def test_title_with_a_line_break_is_refused_and_the_post_stays_a_draft(
    signed_in: Any, smtp_server: MailSink
) -> None:
    subscribers(1)
    client = _mailer(signed_in)
    post = _draft(client)
    Post.objects.filter(pk=post.pk).update(title="Line one\r\nBcc: everyone@example.com")
    page = _publish(client, post, email_to="members").content.decode()
    assert "The title has a line break" in page and "The post was not published." in page
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT and post.published_at is None
    assert not Issue.objects.exists() and smtp_server.messages == []


def _schedule(client: Client, post: Post, **extra: str) -> Any:
    data = {"action": "schedule", "publish_at": "2099-01-01T10:00", "visibility": "public"}
    return client.post(f"/newsroom/posts/{post.pk}/publish/", {**data, **extra}, follow=True)


def test_scheduled_post_is_emailed_by_the_sweep_once_it_is_live(
    signed_in: Any, smtp_server: MailSink
) -> None:
    subscribers(2)
    client = _mailer(signed_in)
    post = _draft(client, "Tomorrow's news")
    page = _schedule(client, post, email_to="subscribers").content.decode()
    assert "It will be emailed to every subscriber then." in page
    assert "It will be emailed to every subscriber when it goes live." in page
    assert 'value="subscribers" checked' in page  # the panel shows the stored wish
    intent = PostSendIntent.objects.get(post=post)
    assert intent.audience == "subscribers"
    assert sending.deliveries_sweep()["started"] == 0  # not live yet: nothing goes
    assert not Issue.objects.exists() and smtp_server.messages == []
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert sending.deliveries_sweep()["started"] == 1
    assert len(smtp_server.messages) == 2
    assert Issue.objects.get(post=post).audience == "subscribers"
    assert not PostSendIntent.objects.exists()
    sending.deliveries_sweep()  # a second sweep sends nothing more
    assert Issue.objects.count() == 1 and len(smtp_server.messages) == 2
    panel = client.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert "data-email-state" in panel and "data-email-intent" not in panel


def test_rescheduling_to_nobody_or_unpublishing_drops_the_wish(signed_in: Any) -> None:
    client = _mailer(signed_in)
    post = _draft(client)
    _schedule(client, post, email_to="members")
    assert PostSendIntent.objects.filter(post=post, audience="members").exists()
    _schedule(client, post, email_to="")
    assert not PostSendIntent.objects.exists()
    _schedule(client, post, email_to="members")
    client.post(f"/newsroom/posts/{post.pk}/publish/", {"action": "unpublish",
                                                        "visibility": "public"})  # fmt: skip
    assert not PostSendIntent.objects.exists()


def test_scheduling_with_email_refuses_a_bad_title_and_stores_nothing(signed_in: Any) -> None:
    client = _mailer(signed_in)
    post = _draft(client)
    Post.objects.filter(pk=post.pk).update(title="Two\nlines")
    page = _schedule(client, post, email_to="subscribers").content.decode()
    assert "The title has a line break" in page and "The post was not scheduled." in page
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT and not PostSendIntent.objects.exists()


def test_a_wish_that_fails_at_go_live_is_shown_and_not_retried(
    signed_in: Any, smtp_server: MailSink
) -> None:
    subscribers(1)
    client = _mailer(signed_in)
    post = _draft(client, "Fine title")
    _schedule(client, post, email_to="subscribers")
    # Someone breaks the title after scheduling; the post then goes live.
    Post.objects.filter(pk=post.pk).update(
        title="Broken\r\ntitle", published_at=timezone.now() - timedelta(minutes=1)
    )
    assert sending.deliveries_sweep()["started"] == 0
    intent = PostSendIntent.objects.get(post=post)
    assert "line breaks" in intent.last_error
    assert sending.deliveries_sweep()["started"] == 0 and smtp_server.messages == []
    panel = client.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert "It could not be emailed when it went live" in panel
    assert "data-email-send" in panel  # it can still be sent by hand once fixed


def test_unknown_audience_is_a_form_error(signed_in: Any) -> None:
    client = _mailer(signed_in)
    post = _draft(client)
    page = _publish(client, post, email_to="everyone").content.decode()
    assert "Pick a valid time (and audience)" in page
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT and not Issue.objects.exists()


def test_editor_without_the_newsletter_permission_sees_no_email_controls(
    signed_in: Any,
) -> None:
    editor = signed_in(roles.EDITOR)
    post = _draft(editor)
    page = editor.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert 'name="email_to"' not in page
    refused = editor.post(
        f"/newsroom/posts/{post.pk}/publish/",
        {"action": "publish", "visibility": "public", "email_to": "subscribers"},
    )
    assert refused.status_code == 403
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    _publish(editor, post)
    assert "data-email-send" not in editor.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert editor.post(f"/newsroom/posts/{post.pk}/send/", {"audience": "members",
                                                           "confirm": "on"}).status_code == 403  # fmt: skip
    assert not Issue.objects.exists()


def test_author_never_sees_the_controls_and_is_refused(signed_in: Any) -> None:
    author = signed_in(roles.AUTHOR)
    author.user.user_permissions.add(  # even holding the permission, an author may not
        Permission.objects.get(content_type__app_label="newsletter", codename="add_issue")
    )
    post = _draft(author)
    page = author.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert 'name="email_to"' not in page and "Send by email" not in page
    mailer = _mailer(signed_in)
    _publish(mailer, post)
    for data in ({"audience": "subscribers"}, {"audience": "subscribers", "confirm": "on"}):
        assert author.post(f"/newsroom/posts/{post.pk}/send/", data).status_code == 403
    assert not Issue.objects.exists()


# --- sending a published post ---------------------------------------------------------------


def test_send_a_published_post_after_a_confirmation(signed_in: Any, smtp_server: MailSink) -> None:
    Subscriber.objects.create(email="list.only@example.com", status="active")
    member = make_staff(None, "reader@example.com")
    Subscriber.objects.create(email="reader@example.com", status="active", user=member)
    client = _mailer(signed_in)
    post = _draft(client, "Already live")
    _publish(client, post)
    panel = client.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert "data-email-send" in panel and "Send by email" in panel
    confirm = client.post(f"/newsroom/posts/{post.pk}/send/", {"audience": "members"})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "Email “Already live”?" in text and "Send to 1 person" in text
    assert not Issue.objects.exists() and smtp_server.messages == []  # nothing yet
    page = _send(client, post, audience="members", confirm="on").content.decode()
    assert "Emailing “Already live” to 1 subscriber." in page
    issue = Issue.objects.get(post=post)
    assert issue.audience == "members" and issue.recipients == 1
    assert len(smtp_server.to("reader@example.com")) == 1 and len(smtp_server.messages) == 1
    assert "data-email-state" in page and "data-email-send" not in page
    # A second send (a retried form, another tab) is refused; still one issue, one email.
    again = _send(client, post, audience="subscribers", confirm="on").content.decode()
    assert "This post has already been sent by email. Nothing was sent." in again
    assert Issue.objects.filter(post=post).count() == 1 and len(smtp_server.messages) == 1
    assert (
        "already been sent"
        in client.post(f"/newsroom/posts/{post.pk}/send/", {"audience": "members"}).content.decode()
    )


def test_sending_a_draft_or_a_bad_audience_is_refused(
    signed_in: Any, smtp_server: MailSink
) -> None:
    subscribers(1)
    client = _mailer(signed_in)
    post = _draft(client)
    page = _send(client, post, audience="subscribers", confirm="on").content.decode()
    assert "Only a published post can be sent by email. Nothing was sent." in page
    _publish(client, post)
    bad = _send(client, post, audience="everyone", confirm="on").content.decode()
    assert "Choose who gets the email" in bad
    assert client.get(f"/newsroom/posts/{post.pk}/send/").status_code == 302
    assert not Issue.objects.exists() and smtp_server.messages == []


# --- the author picker ------------------------------------------------------------------------


def _settings(client: Client, post: Post, **extra: Any) -> Any:
    post.refresh_from_db()
    data = {"version": post.version, "slug": post.slug, "tags": "", **extra}
    return client.post(f"/newsroom/posts/{post.pk}/settings/", data, follow=True)


def _author_ids(post: Post) -> set[int]:
    return set(post.authors.values_list("pk", flat=True))


def test_editor_sets_the_authors_from_the_staff_list(signed_in: Any) -> None:
    editor = signed_in(roles.EDITOR)
    ada = make_staff(roles.AUTHOR, "ada@example.com", name="Ada Lovelace")
    grace = make_staff(roles.AUTHOR, "grace@example.com", name="Grace Hopper")
    outsider = make_staff(None, "reader@example.com", name="Just Reading")
    post = _draft(editor)
    page = editor.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert f'<option value="{ada.pk}">Ada Lovelace</option>' in page
    assert "Just Reading" not in page  # members are not staff
    assert page.index("Ada Lovelace") < page.index("Grace Hopper")  # by name
    saved = _settings(editor, post, authors=[ada.pk, grace.pk], slug="two-hands")
    assert "Settings saved." in saved.content.decode()
    assert _author_ids(post) == {ada.pk, grace.pk}
    post.refresh_from_db()
    assert post.slug == "two-hands"
    for bad in ([outsider.pk], ["99999"], ["not-a-number"], [ada.pk, "99999"]):
        refused = _settings(editor, post, authors=bad, slug="changed-anyway")
        assert "One of the chosen authors is not on the staff list" in refused.content.decode()
        post.refresh_from_db()
        assert _author_ids(post) == {ada.pk, grace.pk} and post.slug == "two-hands"


def test_author_can_neither_leave_their_draft_nor_add_others(signed_in: Any) -> None:
    author = signed_in(roles.AUTHOR)
    other = make_staff(roles.AUTHOR, "other@example.com", name="Other Writer")
    post = _draft(author)
    mine = {author.user.pk}
    page = author.get(f"/newsroom/posts/{post.pk}/").content.decode()
    assert 'name="authors"' not in page and "ask an editor to change the authors" in page
    for attempt in ([other.pk], [author.user.pk, other.pk]):
        refused = _settings(author, post, authors=attempt, slug="sneaky")
        assert "Only editors and admins change who wrote a post" in refused.content.decode()
        post.refresh_from_db()
        assert _author_ids(post) == mine and post.slug != "sneaky"
    # Their own form (no picker) and a form naming exactly themselves both still save.
    assert "Settings saved." in _settings(author, post, slug="fine").content.decode()
    same = _settings(author, post, authors=list(mine), slug="fine-too")
    assert "Settings saved." in same.content.decode()
    post.refresh_from_db()
    assert _author_ids(post) == mine and post.slug == "fine-too"
