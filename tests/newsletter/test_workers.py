"""Real Celery worker processes, Redis broker, loopback SMTP: N04, N05, N06, N08, N09.

Figures: every test counts messages per recipient at the SMTP sink (duplicates) and checks
that each recipient ends sent, bounced, failed, skipped or uncertain (no silent skips).
"""

from __future__ import annotations

import itertools
import random
import threading
import time

import pytest

from masthead.newsletter import sending, services
from masthead.newsletter.models import Delivery, Subscriber
from tests.fixtures.smtp import MailSink
from tests.newsletter.conftest import Workers, per_recipient, wait_final
from tests.newsletter.factories import make_issue, subscribers

pytestmark = [pytest.mark.redis]


def test_two_clicks_two_schedulers_and_duplicate_tasks_send_once(
    workers: Workers, smtp_server: MailSink
) -> None:
    subscribers(60)
    workers.start()
    workers.start()
    issue = make_issue()
    results: list[object] = []

    def click() -> None:
        try:
            results.append(sending.issue_send(issue_id=issue.pk))
        except sending.IssueNotSendableError as error:
            results.append(error)

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(5):  # duplicate deliveries of the same task message
        sending.nudge(issue_id=issue.pk)
    counts = wait_final(issue.pk)
    assert sorted(type(r).__name__ for r in results) == ["IssueNotSendableError", "int"]
    assert counts == {"sent": 60}
    assert set(per_recipient(smtp_server).values()) == {1}
    assert len(smtp_server.messages) == 60


def test_4xx_retried_with_growing_backoff_then_failed_and_5xx_never_retried(
    workers: Workers, smtp_server: MailSink
) -> None:
    people = subscribers(6)
    flaky, doomed, bounced = people[0].email, people[1].email, people[2].email
    smtp_server.replies[flaky] = ["451 4.3.0 try later"] * 3  # then accepted
    smtp_server.replies[doomed] = ["452 4.2.2 mailbox full"] * 10
    smtp_server.replies[bounced] = ["550 5.1.1 no such user"] * 10
    workers.env["MASTHEAD_NEWSLETTER_MAX_ATTEMPTS"] = "6"
    workers.start()
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    counts = wait_final(issue.pk, timeout=90)
    assert counts == {"sent": 4, "failed": 1, "bounced": 1}
    rows = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    assert rows[flaky].attempts == 4 and rows[flaky].status == "sent"
    assert rows[doomed].attempts == 6 and rows[doomed].last_error.startswith("452")  # >= 5
    assert rows[bounced].attempts == 1  # 5xx: no retry
    assert len(smtp_server.replies[bounced]) == 9
    times = [t for t, rcpt, _ in smtp_server.scripted if rcpt == doomed]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert len(gaps) == 5
    assert gaps[-1] > gaps[0]  # exponential (equal jitter keeps each >= half the step)
    assert all(gap <= 2 + 3 for gap in gaps)  # capped at 2 s here (+ scheduling slack)
    assert set(per_recipient(smtp_server).values()) == {1}


def test_smtp_down_then_back_loses_and_doubles_nothing(
    workers: Workers, smtp_server: MailSink
) -> None:
    subscribers(200)
    workers.start()
    smtp_server.down()
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    time.sleep(4)  # the outage: every connection refused
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 0
    smtp_server.up()
    counts = wait_final(issue.pk, timeout=90)
    assert counts == {"sent": 200}
    received = per_recipient(smtp_server)
    assert len(received) == 200 and set(received.values()) == {1}


def test_outage_mid_send_loses_and_doubles_nothing(workers: Workers, smtp_server: MailSink) -> None:
    subscribers(300)
    workers.env["MASTHEAD_NEWSLETTER_RATE"] = "150"
    workers.start()
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    _wait_sent(issue.pk, 60)
    smtp_server.down()
    time.sleep(3)
    smtp_server.up()
    counts = wait_final(issue.pk, timeout=90)
    received = per_recipient(smtp_server)
    assert set(received.values()) == {1}
    assert counts.get("sent", 0) + counts.get("uncertain", 0) == 300
    assert counts.get("sent", 0) == len(received)


def test_no_message_after_unsubscribe_commits_during_a_live_send(
    workers: Workers, smtp_server: MailSink
) -> None:
    people = subscribers(300)
    workers.env["MASTHEAD_NEWSLETTER_RATE"] = "100"
    workers.start()
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    _wait_sent(issue.pk, 50)
    snapshot: dict[str, int] = {}
    rng = random.Random(8058)
    for person in rng.sample(people, 60):
        services.subscriber_unsubscribe(subscriber_id=person.pk, issue_id=issue.pk)
        snapshot[person.email] = per_recipient(smtp_server).get(person.email, 0)  # after commit
    counts = wait_final(issue.pk, timeout=90)
    received = per_recipient(smtp_server)
    late = {email for email, before in snapshot.items() if received.get(email, 0) != before}
    assert late == set()  # 0 messages after each unsubscribe committed
    assert counts["skipped"] == sum(1 for before in snapshot.values() if before == 0)
    assert Subscriber.objects.filter(status="unsubscribed").count() == 60


def _wait_sent(issue_id: int, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(issue_id=issue_id, status="sent").count() < count:
        assert time.monotonic() < deadline, "sending did not start"
        time.sleep(0.02)
