"""A reader's newsletter journey in Chromium: subscribe in place from the footer, confirm
in one click from the email that arrives (a scanner's fetch confirms nothing), then leave in
one click from the issue's List-Unsubscribe header."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings

from masthead.newsletter import sending
from masthead.newsletter.models import Subscriber
from tests.fixtures.browser import assert_clean
from tests.fixtures.smtp import MailSink
from tests.newsletter.factories import ITEM, make_issue

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]
EMAIL = "browser.reader@example.com"


def _local(url: str, live_server: Any) -> str:
    assert url.startswith(settings.SITE_URL), url
    return f"{live_server.url}{url[len(settings.SITE_URL) :]}"


def test_subscribe_confirm_and_one_click_unsubscribe(
    page: Any, browser: Any, live_server: Any, smtp_server: MailSink
) -> None:
    items = [{**ITEM, "hero_url": ""}]  # no image file behind the live server
    last_week = make_issue(status="sent", subject="Last week at Masthead", items=items)
    page.goto(f"/newsletter/issues/{last_week.pk}/")
    footer = page.locator(".site-footer .newsletter-box")
    footer.get_by_label("Email address").fill(EMAIL)
    footer.get_by_role("button", name="Subscribe").click()
    footer.get_by_text("Check your inbox").wait_for()  # answered in place (ADR 0307)
    assert page.url.endswith(f"/newsletter/issues/{last_week.pk}/")

    [confirmation] = smtp_server.wait_for(EMAIL)
    link = re.search(r"(http\S+/newsletter/confirm/\S+/)", confirmation.body())
    assert link, confirmation.body()
    scanner = browser.new_context()  # a link scanner fetches without running scripts
    try:
        assert scanner.request.get(_local(link.group(1), live_server)).status == 200
        assert scanner.request.head(_local(link.group(1), live_server)).status == 200
    finally:
        scanner.close()
    assert Subscriber.objects.get(email=EMAIL).status == "pending"  # a fetch is not enough
    page.goto(_local(link.group(1), live_server))  # the reader's one click
    page.get_by_role("heading", name="You're in the loop").wait_for()
    assert Subscriber.objects.get(email=EMAIL).status == "active"
    smtp_server.wait_for(EMAIL, 2)  # the welcome email

    sending.issue_send(issue_id=make_issue(subject="This week").pk)
    issue_mail = smtp_server.wait_for(EMAIL, 3)[-1]
    header = issue_mail.message["List-Unsubscribe"]
    assert issue_mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = _local(header.strip("<>"), live_server)
    mail_client = browser.new_context()  # a mail provider: no cookies, no CSRF token
    try:
        response = mail_client.request.post(url, form={"List-Unsubscribe": "One-Click"})
        assert response.status == 200
    finally:
        mail_client.close()
    assert Subscriber.objects.get(email=EMAIL).status == "unsubscribed"
    assert_clean(page)
