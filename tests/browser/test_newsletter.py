"""A reader's newsletter journey in Chromium: subscribe from the footer, confirm from the
email that arrives, then leave in one click from the issue's List-Unsubscribe header."""

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
    page.wait_for_url("**/newsletter/thanks/")
    assert page.get_by_role("heading", name="Check your inbox").is_visible()

    [confirmation] = smtp_server.wait_for(EMAIL)
    link = re.search(r"(http\S+/newsletter/confirm/\S+/)", confirmation.body())
    assert link, confirmation.body()
    page.goto(_local(link.group(1), live_server))
    assert Subscriber.objects.get(email=EMAIL).status == "pending"  # opening it is not enough
    page.get_by_role("button", name="Confirm my subscription").click()
    assert page.get_by_role("heading", name="You're in the loop").is_visible()
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
