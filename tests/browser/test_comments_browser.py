"""Comments in Chromium: a member comments under a post, a staff writer replies with a badge,
the member gets the reply by email through the loopback SMTP sink, and the post page with
its comments has no axe-core violations, for visitors and members, light and dark."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from masthead.blog.models import AuthorProfile, Post
from masthead.comments.models import Comment
from masthead.core import pagecache
from masthead.members.models import Profile
from tests.blog.factories import published_post
from tests.browser import axe
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures import staff
from tests.fixtures.browser import assert_clean
from tests.fixtures.smtp import MailSink
from tests.members.conftest import make_member
from tests.newsroom.conftest import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings", "celery_eager_raising"),
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "img"
MEMBER = "commenter@example.com"
WAIT = 120_000  # ms: an in-place post on a busy 2-core CI machine (the notice is sent eagerly)


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: Any) -> Any:
    settings.SITE_URL = live_server.url
    settings.PAGE_CACHE_SECONDS = 60
    call_command("createcachetable", verbosity=0)
    cache.clear()
    pagecache.clear_local()
    yield
    cache.clear()
    pagecache.clear_local()


@pytest.fixture
def writer() -> Any:
    user = staff.superuser(username="nadia", email="nadia@example.com")
    AuthorProfile.objects.create(user=user, display_name="Nadia Okafor", slug="nadia-okafor")
    return user


@pytest.fixture
def story(writer: Any) -> Post:
    post = published_post(slug="story", title="Why sections matter")
    post.authors.set([writer])
    return post


def _sign_in(context: Any, live_server: Any, user: Any, *, totp: bool = False) -> None:
    client = Client()
    if totp:
        staff.login_past_totp(client, user)
    else:
        client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.session.session_key, "url": live_server.url}]
    )


def _check(page: Any, shot: str) -> None:
    for width, height in ((1280, 900), (360, 780)):
        for scheme in ("light", "dark"):
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.goto("/story/")
            page.wait_for_selector("[data-comments-loaded]")
            assert axe.violations(page) == [], (shot, width, scheme)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, (shot, width, scheme)
            if scheme == "light" and os.environ.get("MASTHEAD_DOCS_SCREENSHOTS"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                suffix = "" if width > 400 else "-phone"
                comments = page.locator("#comments")
                comments.screenshot(path=str(SCREENSHOTS / f"{shot}{suffix}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.emulate_media(color_scheme="light")


def test_member_comments_staff_replies_with_badge_member_gets_the_email(
    page: Any, browser: Any, live_server: Any, smtp_server: MailSink, story: Post, writer: Any
) -> None:
    member = make_member(email=MEMBER)
    Profile.objects.update_or_create(user=member, defaults={"display_name": "Sam Reader"})

    # A visitor gets the post from the page cache, and the comments load into it.
    visitor = browser.new_page(base_url=live_server.url)
    visitor.goto("/story/")
    response = visitor.goto("/story/")
    assert response.headers["x-page-cache"] == "hit"
    visitor.wait_for_selector("[data-comments-loaded]")
    section = visitor.get_by_role("region", name="Comments")
    assert "No comments yet." in section.inner_text()
    assert section.get_by_role("link", name="Sign in").is_visible()
    visitor.close()

    # The member comments from the post page.
    _sign_in(page.context, live_server, member)
    page.goto("/story/")
    page.wait_for_selector("[data-comments-loaded]")
    page.get_by_label("Add a comment").fill(
        "Great piece! <b>bold?</b> More: https://example.com/more"
    )
    page.get_by_role("button", name="Post comment").click()
    status = page.locator("[data-comments-status]")
    status.get_by_text("Your comment is up.").wait_for(state="attached", timeout=WAIT)
    assert page.url.endswith("/story/")  # in place: no page load
    comment = Comment.objects.get()
    mine = page.locator(f"#c-{comment.pk}")
    assert page.evaluate("document.activeElement.id") == f"c-{comment.pk}"
    assert "Sam Reader" in mine.inner_text() and "<b>bold?</b>" in mine.inner_text()
    link = mine.get_by_role("link", name="https://example.com/more")
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    [to_writer] = smtp_server.wait_for("nadia@example.com")
    assert "Great piece!" in to_writer.body()

    # The writer (staff, past two-factor) replies; the reply carries the badge.
    staff_context = browser.new_context(base_url=live_server.url)
    _sign_in(staff_context, live_server, writer, totp=True)
    staff_page = staff_context.new_page()
    staff_page.goto("/story/")
    staff_page.wait_for_selector("[data-comments-loaded]")
    staff_page.get_by_text("Reply to Sam Reader", exact=True).click()
    staff_page.get_by_label("Your reply to Sam Reader").fill("Thank you, Sam.")
    staff_page.get_by_role("button", name="Post reply").click()
    staff_page.locator("[data-comments-status]").get_by_text("Your comment is up.").wait_for(
        state="attached", timeout=WAIT
    )
    reply = Comment.objects.get(parent=comment)
    assert staff_page.locator(f"#c-{reply.pk} .badge--staff").is_visible()
    staff_context.close()

    assert reply.by_staff
    [notice] = smtp_server.wait_for(MEMBER)
    assert "replied to your comment" in notice.subject
    assert "Thank you, Sam." in notice.body() and f"/story/comments/#c-{reply.pk}" in notice.body()

    page.goto(
        notice.body().split("Read and reply: ")[1].split()[0].replace(str(live_server.url), "")
    )
    shown = page.locator(f"#c-{reply.pk}")
    assert "Nadia Okafor" in shown.inner_text()
    assert shown.locator(".badge--staff").inner_text() == "Staff"

    page.context.clear_cookies()
    _check(page, "comments-visitor")
    _sign_in(page.context, live_server, member)
    _check(page, "comments-member")
    assert_clean(page)


def test_a_member_replies_edits_and_reports_in_place(
    page: Any, live_server: Any, story: Post
) -> None:
    other = make_member(email="other@example.com")
    Profile.objects.update_or_create(user=other, defaults={"display_name": "Olu Other"})
    theirs = Comment.objects.create(post=story, author=other, text="First!", html="<p>First!</p>")
    member = make_member(email=MEMBER)
    Profile.objects.update_or_create(user=member, defaults={"display_name": "Sam Reader"})
    _sign_in(page.context, live_server, member)
    page.goto("/story/")
    page.wait_for_selector("[data-comments-loaded]")
    status = page.locator("[data-comments-status]")

    # Reply: the shared list's link opens the one reply form, focused, in place.
    page.get_by_role("button", name="Reply to Olu Other").click()
    field = page.get_by_label("Your reply to Olu Other")
    assert page.evaluate("document.activeElement.id") == f"reply-text-{theirs.pk}"
    field.fill("x" * 6000)  # over the 5,000 limit: the specific message, inline
    page.get_by_role("button", name="Post reply").click()
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=WAIT)
    assert "up to 5,000 characters" in alert.inner_text()
    assert not Comment.objects.filter(parent=theirs).exists()
    # the browser logs the refused request itself; nothing else may be in the console
    assert len(page.console_errors) == 1 and "413" in page.console_errors[0]
    page.console_errors.clear()
    field.fill("Second, and a reply.")
    page.get_by_role("button", name="Post reply").click()
    status.get_by_text("Your comment is up.").wait_for(state="attached", timeout=WAIT)
    reply = Comment.objects.get(parent=theirs)
    assert reply.author == member and page.url.endswith("/story/")
    assert page.evaluate("document.activeElement.id") == f"c-{reply.pk}"
    assert "Second, and a reply." in page.locator(f"#c-{reply.pk}").inner_text()

    # Edit one's own, in place.
    page.locator(f"#c-{reply.pk}").get_by_role("button", name="Edit your comment").click()
    page.get_by_label("Edit your comment").fill("Second, edited.")
    page.get_by_role("button", name="Save").click()
    status.get_by_text("Your comment is updated.").wait_for(state="attached", timeout=WAIT)
    assert "Second, edited." in page.locator(f"#c-{reply.pk}").inner_text()

    # Report someone else's.
    page.get_by_role("button", name="Report comment by Olu Other").click()
    page.get_by_label("What is wrong with it? (optional)").fill("off topic")
    page.get_by_role("button", name="Report to the editors").click()
    status.get_by_text("Thank you. The editors will look at it.").wait_for(
        state="attached", timeout=WAIT
    )
    assert theirs.reports.get().reason == "off topic"

    # Delete one's own.
    page.locator(f"#c-{reply.pk}").get_by_role("button", name="Delete your comment").click()
    status.get_by_text("The comment is deleted.").wait_for(state="attached", timeout=WAIT)
    assert Comment.objects.get(pk=reply.pk).status == "deleted"
    assert page.locator(f"#c-{reply.pk}").count() == 0
    assert axe.violations(page) == []
    assert_clean(page)


def test_without_javascript_a_member_comments_and_replies(
    browser: Any, live_server: Any, story: Post
) -> None:
    other = make_member(email="other@example.com")
    Profile.objects.update_or_create(user=other, defaults={"display_name": "Olu Other"})
    theirs = Comment.objects.create(post=story, author=other, text="First!", html="<p>First!</p>")
    member = make_member(email=MEMBER)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    _sign_in(context, live_server, member)
    page = context.new_page()
    page.goto("/story/")
    page.get_by_role("link", name="join in").click()
    page.wait_for_url("**/story/comments/", timeout=WAIT)
    page.get_by_label("Add a comment").fill("Without scripts.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**/story/comments/#c-*", timeout=WAIT)
    mine = Comment.objects.get(text="Without scripts.")
    assert page.url.endswith(f"#c-{mine.pk}")
    assert "Your comment is up." in page.inner_text("body")
    # The "Reply" link of the shared list leads here with that reply form open.
    page.goto(f"/story/comments/?reply={theirs.pk}#reply-{theirs.pk}")
    page.get_by_label("Your reply to Olu Other").fill("A reply without scripts.")
    page.locator(f"#reply-{theirs.pk}").get_by_role("button", name="Post reply").click()
    page.wait_for_url("**/story/comments/#c-*", timeout=WAIT)
    reply = Comment.objects.get(parent=theirs)
    assert page.url.endswith(f"#c-{reply.pk}")
    assert "A reply without scripts." in page.locator(f"#c-{reply.pk}").inner_text()
    context.close()


def test_without_javascript_the_link_leads_to_the_comments_page(
    browser: Any, live_server: Any, story: Post
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/story/")
    page.get_by_role("link", name="Read the comments and join in").click()
    page.wait_for_url("**/story/comments/")
    assert page.get_by_role("heading", name="Comments").is_visible()
    assert page.locator("#comments").get_by_role("link", name="Sign in").is_visible()
    context.close()


def test_an_editor_moderates_a_reported_comment_in_the_newsroom(
    page: Any, live_server: Any, story: Post
) -> None:
    other = make_member(email="other@example.com")
    Profile.objects.update_or_create(user=other, defaults={"display_name": "Olu Other"})
    rude = Comment.objects.create(post=story, author=other, text="Rude!", html="<p>Rude!</p>")
    rude.reports.create(reporter=make_member(email="flag@example.com"), reason="insulting")
    editor = make_staff("editor", "editor@example.com")
    _sign_in(page.context, live_server, editor, totp=True)
    page.goto("/newsroom/comments/")
    assert "insulting" in page.inner_text("main")
    assert axe.violations(page) == []
    page.get_by_role("button", name="Hide comment by Olu Other").click()
    page.get_by_text("The comment is hidden from readers.").wait_for(timeout=WAIT)
    rude.refresh_from_db()
    assert rude.status == "hidden"
    assert_clean(page)
