"""The outbox in one process (eager tasks): N03, N07, N09, N12, N13, N14."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from masthead.newsletter import sending, services, tokens
from masthead.newsletter.models import Delivery, Subscriber
from tests.fixtures.smtp import MailSink
from tests.newsletter.factories import make_issue, subscribers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]


def test_send_commits_state_and_one_row_per_active_subscriber(smtp_server: MailSink) -> None:
    subscribers(5)
    Subscriber.objects.create(email="pending@example.com", status="pending")
    Subscriber.objects.create(email="gone@example.com", status="unsubscribed")
    issue = make_issue()
    assert sending.issue_send(issue_id=issue.pk) == 5
    issue.refresh_from_db()
    assert (issue.status, issue.recipients) == ("sent", 5)
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 5
    assert smtp_server.to("pending@example.com") == [] and smtp_server.to("gone@example.com") == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            issue=issue,
            subscriber=Subscriber.objects.get(email="r00000@example.com"),
            next_attempt_at=issue.created_at,
        )


def test_second_send_click_sends_nothing(smtp_server: MailSink) -> None:
    subscribers(3)
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    with pytest.raises(sending.IssueNotSendableError):
        sending.issue_send(issue_id=issue.pk)
    assert len(smtp_server.messages) == 3


def test_state_change_rolls_back_with_the_rows() -> None:
    subscribers(3)
    issue = make_issue()
    with pytest.raises(RuntimeError), transaction.atomic():
        sending.issue_send(issue_id=issue.pk)
        raise RuntimeError("crash before commit")
    issue.refresh_from_db()
    assert issue.status == "draft" and not Delivery.objects.exists()


def test_newsletter_headers_and_personalisation(smtp_server: MailSink) -> None:
    people = subscribers(40)
    issue = make_issue(editor_note="Hello <b>readers</b>")
    sending.issue_send(issue_id=issue.pk)
    assert len(smtp_server.messages) == 40
    all_tokens = {p.pk: tokens.make(tokens.UNSUBSCRIBE, p.pk, issue.pk) for p in people}
    for mail in smtp_server.messages:
        [rcpt] = mail.envelope_to
        owner = next(p for p in people if p.email == rcpt)
        header = mail.message["List-Unsubscribe"]
        assert header == f"<http://127.0.0.1:8000/newsletter/unsubscribe/{all_tokens[owner.pk]}/>"
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "newsletter.127.0.0.1" in mail.message["List-Id"]
        raw = mail.message.as_string()
        others = [t for pk, t in all_tokens.items() if pk != owner.pk and t in raw]
        assert others == []  # N13: only this recipient's token inside
        html, text = mail.body("html"), mail.body()
        assert all_tokens[owner.pk] in html and all_tokens[owner.pk] in text  # visible link
        assert "Hello &lt;b&gt;readers&lt;/b&gt;" in html
        assert "Cybersecurity" in html and "3 min read" in text and 'style="' in html
        assert "/newsletter/issues/" in html  # view in browser


def test_transactional_mail_has_no_list_headers_and_another_from(
    smtp_server: MailSink, settings: Any
) -> None:
    services.subscriber_subscribe(email="new@example.com")
    [mail] = smtp_server.wait_for("new@example.com")
    assert "List-Unsubscribe" not in mail.message and "List-Id" not in mail.message
    assert mail.message["From"] == settings.MASTHEAD_NEWSLETTER_FROM
    assert settings.MASTHEAD_NEWSLETTER_FROM != settings.DEFAULT_FROM_EMAIL  # N12


def test_unsubscribe_keeps_transactional_mail_flowing(smtp_server: MailSink) -> None:
    from django.core.mail import send_mail

    [person] = subscribers(1)
    services.subscriber_unsubscribe(subscriber_id=person.pk)
    send_mail("Your sign-in code", "123456", None, [person.email])
    [mail] = smtp_server.wait_for(person.email)
    assert mail.subject == "Your sign-in code"


def test_no_message_after_unsubscribe_commits(smtp_server: MailSink) -> None:
    people = subscribers(30)
    issue = make_issue(status="sending")  # list frozen, batches not yet run
    Delivery.objects.bulk_create(
        Delivery(issue=issue, subscriber=p, next_attempt_at=issue.created_at) for p in people
    )
    gone = people[::2]
    for person in gone:
        services.subscriber_unsubscribe(subscriber_id=person.pk, issue_id=issue.pk)
    sending.delivery_send_batch(issue_id=issue.pk)
    received = {m.envelope_to[0] for m in smtp_server.messages}
    assert received.isdisjoint({p.email for p in gone})
    assert len(received) == 15
    assert Delivery.objects.filter(issue=issue, status="skipped").count() == 15


def test_status_rechecked_at_send_time_for_frozen_rows(smtp_server: MailSink) -> None:
    people = subscribers(3)
    issue = make_issue(status="sending")
    Delivery.objects.bulk_create(
        Delivery(issue=issue, subscriber=p, next_attempt_at=issue.created_at) for p in people
    )
    # A status change that bypasses the service (e.g. admin edit) is still honoured.
    Subscriber.objects.filter(pk=people[0].pk).update(status="unsubscribed")
    sending.delivery_send_batch(issue_id=issue.pk)
    assert smtp_server.to(people[0].email) == []
    assert Delivery.objects.get(subscriber=people[0]).status == "skipped"


def test_hard_bounce_is_not_retried_and_three_deactivate(smtp_server: MailSink) -> None:
    [person] = subscribers(1)
    smtp_server.replies[person.email] = ["550 5.1.1 no such user"] * 3
    for _ in range(3):
        issue = make_issue()
        sending.issue_send(issue_id=issue.pk)
        delivery = Delivery.objects.get(issue=issue)
        assert (delivery.status, delivery.attempts) == ("bounced", 1)
    person.refresh_from_db()
    assert (person.hard_bounces, person.status) == (3, "bounced")
    assert smtp_server.replies[person.email] == []  # exactly three SMTP attempts in all


@pytest.mark.parametrize(
    "subject", ["Weekly\r\nBcc: victim@example.com", "Line\nbreak", "Cr\rOnly"]
)
def test_crlf_subject_rejected_before_sending(smtp_server: MailSink, subject: str) -> None:
    subscribers(2)
    issue = make_issue(subject=subject)
    with pytest.raises(ValueError, match="line breaks"):
        sending.issue_send(issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == "draft" and not Delivery.objects.exists()
    assert smtp_server.messages == []


def test_header_check_also_refuses_nul() -> None:
    from masthead.newsletter import emails

    with pytest.raises(emails.UnsafeHeaderError):
        emails.check_header("Nul\x00byte")
    assert emails.check_header("Fine — ünïcode") == "Fine — ünïcode"


def test_one_click_post_without_cookies_unsubscribes(client: Any, smtp_server: MailSink) -> None:
    from django.test import Client

    [person] = subscribers(1)
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    [mail] = smtp_server.wait_for(person.email)
    url = re.search(r"<http://127\.0\.0\.1:8000([^>]+)>", mail.message["List-Unsubscribe"])
    assert url
    response = Client(enforce_csrf_checks=True).post(
        url.group(1), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == "unsubscribed" and person.unsubscribed_from_id == issue.pk
    from masthead.newsletter import selectors

    assert selectors.issue_figures(issue=issue)["unsubscribes"] == 1


def test_scheduled_issue_goes_out_when_due_and_only_once(smtp_server: MailSink) -> None:
    from datetime import timedelta

    from django.utils import timezone

    subscribers(2)
    later = make_issue(status="scheduled", scheduled_for=timezone.now() + timedelta(hours=1))
    due = make_issue(status="scheduled", scheduled_for=timezone.now() - timedelta(minutes=1))
    assert sending.deliveries_sweep()["started"] == 1
    assert sending.deliveries_sweep()["started"] == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("sent", "scheduled")
    assert len(smtp_server.messages) == 2


def test_sweep_marks_expired_sending_rows_uncertain_and_never_resends(
    smtp_server: MailSink,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    people = subscribers(2)
    issue = make_issue(status="sending")
    past = timezone.now() - timedelta(seconds=1)
    Delivery.objects.create(
        issue=issue, subscriber=people[0], status="sending", lease_until=past, next_attempt_at=past
    )
    Delivery.objects.create(issue=issue, subscriber=people[1], next_attempt_at=past)
    assert sending.deliveries_sweep()["uncertain"] == 1
    issue.refresh_from_db()
    assert issue.status == "sent"
    assert [m.envelope_to for m in smtp_server.messages] == [[people[1].email]]
    assert Delivery.objects.get(subscriber=people[0]).status == "uncertain"
