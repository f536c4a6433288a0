"""Celery tasks for webhooks: ids in, one service call (the delivery rows carry the state).

A duplicate or redelivered message is harmless: an attempt first claims its row with a
conditional UPDATE, so only one worker sends a given attempt.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready


@shared_task(ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    from masthead.exchange import webhooks  # webhooks imports this module

    webhooks.delivery_attempt(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_deliveries_sweep() -> None:
    from masthead.exchange import webhooks

    webhooks.deliveries_sweep()


@worker_ready.connect
def _sweep_on_start(**_: Any) -> None:
    webhook_deliveries_sweep.delay()
