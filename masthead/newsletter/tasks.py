"""Celery tasks: ids in, one service call, nothing else (the rows carry the state).

Deliveries are idempotent at the row level, so duplicate or redelivered messages are
harmless; a worker that starts runs the sweep to pick up what a crashed one left.
"""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from masthead.newsletter import emails, issues, sending, services
from masthead.newsletter.models import Subscriber

# One email to one subscriber: a mail server that fails for now is tried again later.
_subscriber_mail = shared_task(
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)


@shared_task(ignore_result=True)
def deliveries_send_batch(issue_id: int, failures: int = 0) -> None:
    sending.delivery_send_batch(issue_id=issue_id, failures=failures)


@shared_task(ignore_result=True)
def deliveries_sweep() -> None:
    sending.deliveries_sweep()


@shared_task(ignore_result=True)
def issue_send_weekly() -> None:
    issues.issue_send_weekly(force=True)


@shared_task(ignore_result=True)
def subscribers_remind() -> None:
    services.subscribers_remind()


@shared_task(ignore_result=True)
def subscriber_reply(subscriber_id: int) -> None:
    services.subscriber_reply(subscriber_id=subscriber_id)


@_subscriber_mail
def subscriber_send_confirmation(subscriber_id: int, reminder: bool = False) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status="pending").first()
    if subscriber is not None:
        emails.confirmation(subscriber, reminder=reminder).send()


@_subscriber_mail
def subscriber_send_welcome(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status="active").first()
    if subscriber is not None:
        emails.welcome(subscriber).send()


@_subscriber_mail
def subscriber_send_notice(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status="active").first()
    if subscriber is not None:
        emails.already_subscribed(subscriber).send()


@worker_ready.connect
def _sweep_on_start(**_: Any) -> None:
    deliveries_sweep.delay()
