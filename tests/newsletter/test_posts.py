"""Every post by email (masthead.newsletter.posts): audiences, teaser, once per post, bad
input, the web version, and open/click totals that name nobody."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.blog.models import Post
from masthead.newsletter import emails, issues, posts
from masthead.newsletter.models import Delivery, Issue, Subscriber
from tests.blog.factories import published_post
from tests.fixtures.smtp import MailSink
from tests.newsletter.factories import subscribers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]
BODY = "Public opening.\n\nSecond public.\n\n::: members\n\nSECRET middle.\n\n[More](/blog/)"


def _member_subscriber(email: str) -> Subscriber:
    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return Subscriber.objects.create(email=email, status="active", user=user)


def test_public_post_goes_whole_to_every_active_subscriber(smtp_server: MailSink) -> None:
    subscribers(3)
    Subscriber.objects.create(email="pending@example.com", status="pending")
    post = published_post(slug="hello", title="Hello readers", body="All of it.\n\nThe end.")
    issue = posts.send_post(post=post, audience="subscribers")
    assert (issue.kind, issue.recipients, issue.status) == ("post", 3, "sent")
    assert len(smtp_server.messages) == 3 and smtp_server.to("pending@example.com") == []
    mail = smtp_server.messages[0]
    assert mail.subject == "Hello readers"
    assert "The end." in mail.body() and "The end." in mail.body("html")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/hello/" in mail.body()  # the web version is the post's page


def test_members_only_post_teaser_for_subscribers_whole_for_members(
    smtp_server: MailSink,
) -> None:
    Subscriber.objects.create(email="list.only@example.com", status="active")
    _member_subscriber("member@example.com")
    post = published_post(slug="m", title="For members", body=BODY, visibility="members")
    posts.send_post(post=post, audience="members")
    [member_mail] = smtp_server.to("member@example.com")
    assert "SECRET middle." in member_mail.body("html")
    assert smtp_server.to("list.only@example.com") == []  # not a member
    Issue.objects.all().delete()  # the constraint allows one send per post
    posts.send_post(post=post, audience="subscribers")
    [list_mail] = smtp_server.to("list.only@example.com")
    assert "Public opening." in list_mail.body() and "SECRET" not in list_mail.body("html")
    assert "The rest of this post is for members" in list_mail.body()


def test_a_post_is_sent_once(smtp_server: MailSink) -> None:
    subscribers(2)
    post = published_post(slug="once")
    posts.send_post(post=post)
    with pytest.raises(posts.PostNotSendableError, match="already been sent"):
        posts.send_post(post=post, audience="members")
    assert len(smtp_server.messages) == 2 and Issue.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "audience", "error"),
    [
        ({"status": Post.Status.DRAFT}, "subscribers", posts.PostNotSendableError),
        ({"title": "Bad\r\nBcc: x@evil.example"}, "subscribers", emails.UnsafeHeaderError),
        ({}, "everyone", posts.PostNotSendableError),
    ],
)
def test_bad_sends_store_nothing(
    smtp_server: MailSink, fields: dict[str, Any], audience: str, error: type[Exception]
) -> None:
    subscribers(2)
    post = published_post(**fields)
    with pytest.raises(error):
        posts.send_post(post=post, audience=audience)
    assert Issue.objects.count() == 0 and Delivery.objects.count() == 0
    assert smtp_server.messages == []


def test_opens_and_clicks_are_totals_with_nobody_in_the_links(
    smtp_server: MailSink, client: Client
) -> None:
    subscribers(2)
    post = published_post(slug="counted", body="[Blog](/blog/) and [away](https://example.org/)")
    issue = posts.send_post(post=post)
    first, second = (mail.body("html") for mail in smtp_server.messages)
    pixel = re.search(r'src="http[^"]*(/newsletter/o/[^"]+/)"', first)
    click = re.search(r'href="http[^"]*(/newsletter/c/[^"]+/)"', first)
    assert pixel and click
    assert pixel.group(1) in second and click.group(1) in second  # the same for everyone
    assert 'href="https://example.org/"' in first  # links elsewhere are not wrapped
    assert client.get(pixel.group(1))["Content-Type"] == "image/gif"
    links = sorted(set(re.findall(r'href="http[^"]*(/newsletter/c/[^"]+/)"', first)))
    targets = {client.get(link)["Location"] for link in links}
    assert {"/blog/", "/counted/", "/"} <= targets
    issue.refresh_from_db()
    assert (issue.opens, issue.clicks) == (1, len(links))
    forged = click.group(1).replace("/c/", "/c/x")
    assert client.get(forged).status_code == 400
    issue.refresh_from_db()
    assert issue.clicks == len(links)


def test_counting_can_be_switched_off(smtp_server: MailSink, settings: Any) -> None:
    settings.MASTHEAD_NEWSLETTER_COUNT_OPENS = False
    settings.MASTHEAD_NEWSLETTER_COUNT_CLICKS = False
    subscribers(1)
    posts.send_post(post=published_post(slug="quiet", body="[Blog](/blog/)"))
    html = smtp_server.messages[0].body("html")
    assert "/newsletter/o/" not in html and "/newsletter/c/" not in html
    assert "/blog/" in html


def test_post_email_item_is_the_digest_item_with_the_body() -> None:
    post = published_post(slug="snap", title="Snapshot", body="One.\n\n::: members\n\nTwo.")
    item = posts.post_email_item(post=post, audience="subscribers")
    digest = issues.post_item(post)
    assert list(item) == [*digest, "body_html", "body_text", "whole"]
    assert {key: item[key] for key in digest} == digest
    assert item["title"] == "Snapshot" and item["whole"] is True and "Two." in item["body_text"]
