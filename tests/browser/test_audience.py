"""Reader to member in Chromium: the teaser of a members-only post, sign-up with an emailed
code that comes back to the post and subscribes, subscribing in place under a post, one-click
confirmation, and the account pages checked with axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from masthead.blog.models import Post
from masthead.newsletter.models import Subscriber
from tests.blog.factories import published_post
from tests.browser import axe
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures.browser import assert_clean
from tests.fixtures.smtp import MailSink
from tests.members.conftest import code_from

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings", "celery_eager_raising"),
]
EMAIL = "new.reader@example.com"
BODY = (
    "The opening everyone can read.\n\nA second public paragraph.\n\n::: members\n\n"
    "The secret middle only members read.\n\nAnd the end."
)


@pytest.fixture(autouse=True)
def _cache_table() -> None:
    call_command("createcachetable", verbosity=0)
    cache.clear()


@pytest.fixture
def locked_post() -> Post:
    return published_post(
        slug="members-story", title="A story for members", body=BODY,
        visibility=Post.Visibility.MEMBERS,
    )  # fmt: skip


def _local(url: str, live_server: Any) -> str:
    assert url.startswith(settings.SITE_URL), url
    return f"{live_server.url}{url[len(settings.SITE_URL) :]}"


def test_teaser_sign_up_with_code_returns_to_the_post_subscribed(
    page: Any, smtp_server: MailSink, locked_post: Post
) -> None:
    page.goto("/members-story/")
    teaser = page.locator(".prose--teaser")
    assert "The opening everyone can read." in teaser.inner_text()
    assert "secret middle" not in page.content()
    locked = page.get_by_role("region", name="The rest of this post is for members")
    locked.get_by_role("link", name="Sign up free").click()
    page.wait_for_url("**/accounts/signup/?next=/members-story/")
    assert page.get_by_role("heading", name="Sign up").is_visible()
    assert not page.locator("#id_password1").is_visible()  # the password is optional, folded
    page.locator("main").get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Send me the weekly email").check()
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/confirm-email/**")

    [mail] = smtp_server.wait_for(EMAIL)
    page.get_by_label("Code").fill(code_from(mail))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/members-story/")
    assert "The secret middle only members read." in page.locator(".prose").inner_text()
    assert page.get_by_text("You are signed in.").is_visible()
    assert "member" not in page.locator(".messages").inner_text().lower().replace("members", "")
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.status == "active" and subscriber.user is not None
    assert subscriber.consent_source == "signup" and subscriber.consent_at is not None
    # Members share one cached copy of the post (ADR 0023): their own state is on the
    # account page, which the footer box links to.
    page.locator(".site-footer .newsletter-box").get_by_role("link").click()
    page.wait_for_url("**/accounts/")
    assert "You get the weekly email at" in page.locator("main").inner_text()
    assert_clean(page)


def test_sign_in_by_code_returns_to_the_post(
    page: Any, smtp_server: MailSink, locked_post: Post
) -> None:
    from tests.members.conftest import make_member

    make_member(EMAIL)
    page.goto("/members-story/")
    page.locator(".locked").get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/accounts/login/?next=/members-story/")
    page.locator("#id_code_email").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in code").click()
    page.wait_for_url("**/accounts/login/code/confirm/**")
    page.get_by_label("Code").fill(code_from(smtp_server.wait_for(EMAIL)[-1]))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/members-story/")
    assert "The secret middle only members read." in page.content()
    assert_clean(page)


def test_visitor_subscribes_in_place_and_confirms_in_one_click(
    page: Any, live_server: Any, smtp_server: MailSink
) -> None:
    published_post(slug="open-story", title="An open story")
    page.goto("/open-story/")
    box = page.locator(".post__subscribe .newsletter-box")
    box.get_by_label("Email address").fill("in.place@example.com")
    box.get_by_role("button", name="Subscribe").click()
    status = box.locator(".newsletter-box__status")
    status.get_by_text("Check your inbox").wait_for()
    assert page.url.endswith("/open-story/")  # never left the article
    assert Subscriber.objects.get(email="in.place@example.com").source == "post"

    [mail] = smtp_server.wait_for("in.place@example.com")
    assert "One click to confirm" in mail.body()
    link = re.search(r"(http\S+/newsletter/confirm/\S+/)", mail.body())
    assert link
    page.goto(_local(link.group(1), live_server))
    page.get_by_role("heading", name="You're in the loop").wait_for()
    assert Subscriber.objects.get(email="in.place@example.com").status == "active"
    assert_clean(page)


def test_subscribe_without_javascript_still_works(
    browser: Any, live_server: Any, smtp_server: MailSink
) -> None:
    published_post(slug="open-story", title="An open story")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/open-story/")
        box = page.locator(".post__subscribe .newsletter-box")
        box.get_by_label("Email address").fill("no.js@example.com")
        box.get_by_role("button", name="Subscribe").click()
        page.wait_for_url("**/newsletter/thanks/")
        assert page.get_by_role("heading", name="Check your inbox").is_visible()
    finally:
        context.close()
    assert Subscriber.objects.get(email="no.js@example.com").status == "pending"


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/login/code/", "/accounts/password/reset/"],
)
def test_account_pages_have_no_axe_violations(page: Any, path: str) -> None:
    page.goto(path)
    page.locator("details").evaluate_all("nodes => nodes.forEach(n => n.open = true)")
    assert axe.violations(page) == []


def test_member_leaves_from_a_post_email_in_one_click(
    page: Any, browser: Any, live_server: Any, smtp_server: MailSink
) -> None:
    from masthead.newsletter import posts
    from tests.members.conftest import make_member

    user = make_member("leaving.member@example.com")
    Subscriber.objects.create(email=user.email, status="active", user=user)
    post = published_post(slug="by-email", title="A post by email")
    posts.send_post(post=post, audience="members")
    [mail] = smtp_server.wait_for(user.email)
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _local(mail.message["List-Unsubscribe"].strip("<>"), live_server)
    mail_client = browser.new_context()  # the mail provider: no cookies, no CSRF token
    try:
        response = mail_client.request.post(url, form={"List-Unsubscribe": "One-Click"})
        assert response.status == 200
        forged = mail_client.request.post(
            url.rstrip("/") + "x/", form={"List-Unsubscribe": "One-Click"}
        )
        assert forged.status == 400
    finally:
        mail_client.close()
    assert Subscriber.objects.get(email=user.email).status == "unsubscribed"
    page.goto(url)  # the link in the footer of the email: a page, and nothing changes on GET
    assert page.get_by_role("button").count() >= 1
    assert_clean(page)
