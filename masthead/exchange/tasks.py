"""Celery tasks of the exchange: thin, they take a job id and call ``jobs``.

``acks_late`` means a worker killed mid-import gets its message delivered again; the
import's transaction was rolled back with it, and the claim in ``import_job_run`` makes the
re-delivery a no-op (the page marks the job failed once it outlives its time limit).
"""

from __future__ import annotations

from celery import shared_task

from masthead.exchange import jobs


@shared_task(acks_late=True, soft_time_limit=jobs.TIME_LIMIT - 60, time_limit=jobs.TIME_LIMIT)
def import_job_run(job_id: int) -> None:
    """Run one import or full export queued from the newsroom."""
    jobs.import_job_run(job_id=job_id)
