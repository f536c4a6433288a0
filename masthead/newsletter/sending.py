"""The outbox: deliver one issue to each active subscriber at most once.

A delivery row moves pending → sending → sent | failed | bounced | skipped, or → uncertain
when its worker died mid-send. The row is claimed with a conditional UPDATE and committed as
'sending' BEFORE the SMTP call; the send itself happens while holding the subscriber's row
lock (an IMMEDIATE transaction on SQLite), so an unsubscribe that commits first is always
seen and one that comes later waits until the message is out. Rows whose lease expired in
'sending' become 'uncertain' and are never resent automatically (at most once).
"""

from __future__ import annotations

import logging
import random
import smtplib
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from masthead.newsletter import emails, tasks
from masthead.newsletter.models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)
D = Delivery.Status
TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


class IssueNotSendableError(Exception):
    """The issue is already sending or sent, or its subject is unsafe."""


def retry_delay(attempts: int) -> float:
    """Exponential backoff with equal jitter, capped (Celery's retry_backoff_max is 600)."""
    base = settings.MASTHEAD_NEWSLETTER_RETRY_BASE_MS / 1000
    delay = min(float(settings.MASTHEAD_NEWSLETTER_RETRY_CAP), base * 2 ** max(attempts - 1, 0))
    return float(delay / 2 + random.uniform(0, delay / 2))  # noqa: S311 - jitter, not security


def issue_send(*, issue_id: int, allowed: tuple[str, ...] = ("draft", "scheduled")) -> int:
    """Freeze the recipient list: the issue's state change and one delivery row per active
    subscriber commit together; workers are nudged only after the commit."""
    issue = Issue.objects.get(pk=issue_id)
    emails.check_header(issue.subject)
    now = timezone.now()
    with transaction.atomic():
        moved = Issue.objects.filter(pk=issue_id, status__in=allowed).update(
            status=Issue.Status.SENDING, send_started_at=now
        )
        if not moved:  # a second click or scheduler: the first one already sends it
            raise IssueNotSendableError("This issue is already being sent.")
        ids = recipients_of(Issue.objects.get(pk=issue_id)).values_list("pk", flat=True)
        rows = [Delivery(issue_id=issue_id, subscriber_id=pk, next_attempt_at=now) for pk in ids]
        Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        Issue.objects.filter(pk=issue_id).update(recipients=len(rows))
        transaction.on_commit(partial(nudge, issue_id=issue_id, rows=len(rows)))
    logger.info("newsletter issue=%s sending to %s recipients", issue_id, len(rows))
    return len(rows)


def recipients_of(issue: Issue) -> Any:
    """Who an issue goes to: every active subscriber, or those who are also members."""
    active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
    if issue.audience == Issue.Audience.MEMBERS:
        active = active.filter(user__isnull=False, user__is_active=True)
    return active


def nudge(*, issue_id: int, rows: int | None = None, countdown: float = 0) -> None:
    """Enqueue send chains; extra or lost messages are harmless (the rows decide)."""
    chains = settings.MASTHEAD_NEWSLETTER_CONCURRENCY
    if rows is not None:
        chains = max(1, min(chains, -(-rows // settings.MASTHEAD_NEWSLETTER_BATCH)))
    for _ in range(chains):
        _enqueue(tasks.deliveries_send_batch, (issue_id,), countdown)


def _enqueue(task: Any, args: tuple[int, ...], countdown: float = 0) -> None:
    """Publish a nudge. In eager mode (debugging) delayed work is left to the minute sweep
    instead of running at once in a loop."""
    if countdown > 0 and task.app.conf.task_always_eager:
        return
    task.apply_async(args, countdown=countdown)


def _claim(issue_id: int) -> Delivery | None:
    """Take the next due pending row: committed as 'sending' before any SMTP traffic."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.MASTHEAD_NEWSLETTER_LEASE)
    for _ in range(5):
        with transaction.atomic():
            due = Delivery.objects.filter(issue_id=issue_id, status=D.PENDING)
            due = due.filter(next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            pk = due.values_list("pk", flat=True).first()
            if pk is None:
                return None
            won = Delivery.objects.filter(pk=pk, status=D.PENDING).update(
                status=D.SENDING, lease_until=lease, attempts=F("attempts") + 1
            )
        if won:
            return Delivery.objects.select_related("issue", "subscriber").get(pk=pk)
    return None


def _finish(
    delivery: Delivery, status: str, error: str = "", retry_at: datetime | None = None
) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=D.SENDING).update(
        status=status,
        lease_until=None,
        last_error=error[:300],
        sent_at=timezone.now() if status == D.SENT else None,
        next_attempt_at=retry_at or delivery.next_attempt_at,
    )


def _bounce(delivery: Delivery, error: str) -> None:
    _finish(delivery, D.BOUNCED, error)
    Subscriber.objects.filter(pk=delivery.subscriber_id).update(hard_bounces=F("hard_bounces") + 1)
    Subscriber.objects.filter(
        pk=delivery.subscriber_id,
        status=Subscriber.Status.ACTIVE,
        hard_bounces__gte=settings.MASTHEAD_NEWSLETTER_BOUNCE_LIMIT,
    ).update(status=Subscriber.Status.BOUNCED)


def _retry_or_fail(delivery: Delivery, error: str) -> None:
    if delivery.attempts >= settings.MASTHEAD_NEWSLETTER_MAX_ATTEMPTS:
        _finish(delivery, D.FAILED, error)
        return
    later = timezone.now() + timedelta(seconds=retry_delay(delivery.attempts))
    _finish(delivery, D.PENDING, error, retry_at=later)


def _smtp_code(error: smtplib.SMTPException) -> int:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return int(codes[0]) if codes else 0
    return int(getattr(error, "smtp_code", 0) or 0)


def _deliver(delivery: Delivery, mailer: object) -> bool:
    """Send one row under the subscriber's lock. Returns False when the connection broke."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().filter(pk=delivery.subscriber_id)
        subscriber = locked.first()
        if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
            _finish(delivery, D.SKIPPED, "not subscribed at send time")
            return True
        message = emails.issue_message(delivery.issue, subscriber)
        try:
            mailer.send_messages([message])  # type: ignore[attr-defined]
        except smtplib.SMTPResponseException as error:
            code = _smtp_code(error)
            (_bounce if code >= 500 else _retry_or_fail)(delivery, f"{code} {error}")
            return True
        except smtplib.SMTPRecipientsRefused as error:
            code = _smtp_code(error)
            (_bounce if code >= 500 else _retry_or_fail)(delivery, f"{code} refused")
            return True
        except (*TRANSIENT, smtplib.SMTPException) as error:
            _retry_or_fail(delivery, f"connection: {error!r}")
            return False
        _finish(delivery, D.SENT)
        if subscriber.hard_bounces:
            Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=0)
    return True


def delivery_send_batch(*, issue_id: int, failures: int = 0) -> None:
    """Send up to BATCH rows over one SMTP connection, paced, then hand over to the next
    task message (so one long send never blocks a worker's other queues)."""
    mailer = mailers.default
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException) as error:  # SMTP down: nothing claimed yet
        logger.warning("newsletter issue=%s SMTP unavailable: %r", issue_id, error)
        delay = retry_delay(failures + 1)
        _enqueue(tasks.deliveries_send_batch, (issue_id, failures + 1), delay)
        return
    interval = 1 / settings.MASTHEAD_NEWSLETTER_RATE if settings.MASTHEAD_NEWSLETTER_RATE else 0
    healthy = True
    try:
        for _ in range(settings.MASTHEAD_NEWSLETTER_BATCH):
            started = time.monotonic()
            delivery = _claim(issue_id)
            if delivery is None:
                break
            healthy = _deliver(delivery, mailer)
            if not healthy:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    finally:
        try:
            mailer.close()
        except (smtplib.SMTPException, OSError):
            logger.debug("SMTP close failed", exc_info=True)
    _continue(issue_id, after_failure=not healthy)


def _continue(issue_id: int, *, after_failure: bool = False) -> None:
    """Chain the next batch, wait for retries, or close the issue when every row is final."""
    now = timezone.now()
    open_rows = Delivery.objects.filter(issue_id=issue_id, status__in=[D.PENDING, D.SENDING])
    summary = open_rows.aggregate(
        pending=Count("pk", filter=Q(status=D.PENDING)),
        sending=Count("pk", filter=Q(status=D.SENDING)),
        due=Count("pk", filter=Q(status=D.PENDING, next_attempt_at__lte=now)),
        next_at=Min("next_attempt_at", filter=Q(status=D.PENDING)),
        lease=Min("lease_until", filter=Q(status=D.SENDING)),
    )
    if summary["due"] and not after_failure:
        _enqueue(tasks.deliveries_send_batch, (issue_id,))
    elif summary["pending"]:
        wait = (summary["next_at"] - now).total_seconds() if summary["next_at"] else 0
        wait = max(wait, retry_delay(1) if after_failure else 0)
        _enqueue(tasks.deliveries_send_batch, (issue_id,), max(wait, 0.05))
    elif summary["sending"]:  # another worker is sending, or died: look again after the lease
        wait = max((summary["lease"] - now).total_seconds(), 0) + 0.5
        _enqueue(tasks.deliveries_sweep, (), wait)
    else:
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).update(
            status=Issue.Status.SENT, sent_at=now
        )


def deliveries_sweep() -> dict[str, int]:
    """Run at worker start and every minute: recover what crashed workers left behind.

    Rows still 'sending' after their lease are 'uncertain' (the message may have left);
    scheduled issues that are due start; open issues get a fresh nudge or are closed.
    """
    now = timezone.now()
    uncertain = Delivery.objects.filter(status=D.SENDING, lease_until__lt=now).update(
        status=D.UNCERTAIN, last_error="worker stopped during the SMTP exchange"
    )
    if uncertain:
        logger.warning("newsletter: %s deliveries marked uncertain", uncertain)
    started = 0
    due = Issue.objects.filter(status=Issue.Status.SCHEDULED, scheduled_for__lte=now)
    for issue_id in due.values_list("pk", flat=True):
        try:
            issue_send(issue_id=issue_id, allowed=("scheduled",))
            started += 1
        except (IssueNotSendableError, emails.UnsafeHeaderError):
            logger.exception("newsletter: scheduled issue %s not sent", issue_id)
    from masthead.newsletter import posts  # posts imports this module

    started += posts.send_intents_due()  # scheduled posts emailed when they go live
    open_issues = Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True)
    for issue_id in open_issues:
        _continue(issue_id)
    return {"uncertain": uncertain, "started": started}
