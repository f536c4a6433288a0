"""An editor, in Chromium, names a post's authors with the settings picker and emails the
live post to subscribers from the Publish panel, through the confirmation page; the panel
then shows the send. axe finds nothing on the panel or the confirmation page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from masthead.blog import services
from masthead.blog.models import Post
from masthead.members import roles
from masthead.newsletter.models import Issue, Subscriber
from tests.browser import axe
from tests.browser.helpers import docs_shot, sign_in
from tests.browser.reading_site import reading_settings  # noqa: F401 (fixture)
from tests.fixtures.browser import assert_clean
from tests.fixtures.smtp import MailSink
from tests.newsroom.conftest import make_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reading_settings", "celery_eager_raising"),
]


def test_editor_picks_authors_then_emails_the_live_post(
    page: Any, live_server: Any, smtp_server: MailSink
) -> None:
    editor = make_staff(roles.EDITOR, "editor@example.com", name="Eddie Editor")
    editor.user_permissions.add(
        Permission.objects.get(content_type__app_label="newsletter", codename="add_issue")
    )
    writer = make_staff(roles.AUTHOR, "writer@example.com", name="Wren Writer")
    Subscriber.objects.create(email="reader@example.com", status="active")
    post = services.post_create_draft(by=editor, title="Receipts, read")
    services.post_publish_state(post=post, by=editor, action="publish")
    sign_in(page, live_server, editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/newsroom/posts/{post.pk}/#settings")

    # Authors: the picker lists staff by name; choose the writer alongside the editor.
    page.locator("#id_authors").select_option(label=["Eddie Editor", "Wren Writer"])
    page.get_by_role("button", name="Save address, tags and search").click()
    expect(page.locator(".nr-messages")).to_contain_text("Settings saved.")
    assert set(Post.objects.get(pk=post.pk).authors.values_list("pk", flat=True)) == {
        editor.pk,
        writer.pk,
    }

    # Email it: choose the audience, confirm on the next page, then see the send.
    page.locator("#id_send_audience").select_option("subscribers")
    docs_shot(page, "newsroom-send-by-email")
    page.get_by_role("button", name="Send by email…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email “Receipts, read”?")
    assert Issue.objects.count() == 0
    docs_shot(page, "newsroom-send-confirm")
    assert axe.violations(page) == []
    page.get_by_role("button", name="Send to 1 person").click()
    expect(page.locator(".nr-messages")).to_contain_text("Emailing “Receipts, read” to 1")
    assert len(smtp_server.wait_for("reader@example.com")) == 1
    page.reload()
    expect(page.locator("[data-email-state]")).to_contain_text("1 delivered")
    expect(page.locator("[data-email-send]")).to_have_count(0)
    docs_shot(page, "newsroom-email-sent")
    assert axe.violations(page) == []
    assert_clean(page)
