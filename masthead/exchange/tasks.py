"""Celery tasks of the exchange: thin, they take an id and call one service.

Webhooks: a duplicate or redelivered message is harmless, because an attempt first claims
its delivery row with a conditional UPDATE, so only one worker sends a given attempt.

Imports: ``acks_late`` means a worker killed mid-import gets its message delivered again;
the import's transaction was rolled back with it, and the claim in ``import_job_run`` makes
the re-delivery a no-op (the page marks the job failed once it outlives its time limit).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from masthead.exchange import jobs


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


@shared_task(acks_late=True, soft_time_limit=jobs.TIME_LIMIT - 60, time_limit=jobs.TIME_LIMIT)
def import_job_run(job_id: int) -> None:
    """Run one import or full export queued from the newsroom."""
    jobs.import_job_run(job_id=job_id)
