"""Celery tasks: thin wrappers that take ids and call ``masthead.tools.jobs``.

Messages carry only the job id (a string) and a page number. ``acks_late`` and
``reject_on_worker_lost`` come from settings, so a killed worker's message is delivered
again; the services make every re-delivery harmless.
"""

from __future__ import annotations

from celery import group, shared_task

from masthead.ocr.errors import EngineCrashedError, OcrTimeoutError
from masthead.tools import jobs

TRANSIENT = (EngineCrashedError, OcrTimeoutError)


@shared_task(acks_late=True)
def ocr_job_run(job_id: str) -> None:
    """Claim the job; a multi-page file fans out as one task per page."""
    missing = jobs.ocr_job_run(job_id=job_id)
    if missing:
        group(ocr_page_run.si(job_id, page_no) for page_no in missing).apply_async()


@shared_task(bind=True, acks_late=True, autoretry_for=TRANSIENT, max_retries=2, retry_backoff=True)
def ocr_page_run(self, job_id: str, page_no: int) -> None:  # type: ignore[no-untyped-def]
    """Read one page; the last page to finish assembles the job."""
    jobs.ocr_page_run(
        job_id=job_id, page_no=page_no, last_try=self.request.retries >= self.max_retries
    )


@shared_task(acks_late=True)
def ocr_job_pdf_make(job_id: str) -> None:
    """Make the searchable PDF of a job read inside a request, then delete its upload."""
    jobs.ocr_job_pdf_make(job_id=job_id)


@shared_task
def ocr_sweep() -> int:
    """Every minute: re-queue jobs whose worker died, delete old files."""
    ids = jobs.ocr_sweep()
    for job_id in ids:
        ocr_job_run.delay(job_id)
    return len(ids)


@shared_task
def ocr_purge() -> int:
    """Every hour: delete results past their retention."""
    return jobs.ocr_purge()
