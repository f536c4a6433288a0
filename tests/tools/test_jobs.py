"""Fan-out of a multi-page job (docs/decisions/0401) when one of its pages fails.

The worker refuses a page too large to render even when the upload's checks were passed
(a job queued before they existed, or with stricter stored limits): the job ends failed
with ``image_too_large`` and keeps nothing. The other pages of that job, running beside
it, end quietly: no exception, no retry, nothing stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from celery import signals as celery_signals
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import signals

from masthead import ocr
from masthead.tools import jobs, services, tasks
from masthead.tools.models import OcrJob, OcrJobStatus, OcrPageResult
from masthead.tools.storage import ocr_files
from tests.ocr import bombs
from tests.tools.conftest import file_count

pytestmark = pytest.mark.django_db

LETTER = (612, 792)
POSTER = (14_400, 14_400)  # PDF's largest page: 1000 x 1000 pixels only at 5 dpi
CAP = 1_000_000


def _queued_job(sizes: list[tuple[int, int]]) -> OcrJob:
    """A job as a worker finds it, with a 1 MP cap in its stored options; no upload check
    has measured its pages (it was queued before they existed)."""
    options = services.ocr_options_from_settings()
    options = options.replace(limits=ocr.Limits(max_pixels=CAP, max_pages=10))
    job_id = uuid.uuid4()
    name = ocr_files().save(f"ocr/uploads/{job_id.hex}", ContentFile(bombs.pages_pdf(sizes)))
    return OcrJob.objects.create(
        id=job_id,
        options=options.to_dict(),
        filename="poster.pdf",
        kind="pdf",
        size=ocr_files().size(name),
        source=name,
        pages_total=len(sizes),
    )


@pytest.fixture
def task_trouble() -> Iterator[list[str]]:
    """What Celery reports of the tasks that run: each retry and each failure."""
    seen: list[str] = []

    def retried(request: Any = None, reason: Any = None, **_: Any) -> None:
        seen.append(f"retry: {reason!r}")

    def failed(exception: Any = None, **_: Any) -> None:
        seen.append(f"failure: {exception!r}")

    celery_signals.task_retry.connect(retried)
    celery_signals.task_failure.connect(failed)
    yield seen
    celery_signals.task_retry.disconnect(retried)
    celery_signals.task_failure.disconnect(failed)


def _assert_failed_and_empty(job: OcrJob, settings: Any) -> None:
    job.refresh_from_db()
    assert (job.status, job.code) == (OcrJobStatus.FAILED, "image_too_large"), job.message
    assert job.message.startswith("Page 2 would be 14400 x 14400 pixels even at 72 dpi")
    assert not job.source and job.result is None
    assert not OcrPageResult.objects.filter(job=job).exists()  # page 1 was read: not kept
    assert file_count(settings) == 0  # no upload, no preview


def test_worker_refuses_a_page_too_large_and_keeps_nothing(
    tool_settings: Any, task_trouble: list[str]
) -> None:
    job = _queued_job([LETTER, POSTER, LETTER])
    tasks.ocr_job_run.delay(str(job.pk))  # fans out: page 1 is read, page 2 fails, page 3 ...
    _assert_failed_and_empty(job, tool_settings)
    assert task_trouble == []


def test_sibling_that_loaded_the_job_before_it_failed_ends_quietly(
    tool_settings: Any, task_trouble: list[str]
) -> None:
    """Page 1's task has just loaded its job when page 2, in another worker, fails it and
    its file is deleted. The moment is pinned with Django's ``post_init`` signal: page 2
    runs as page 1's task builds its ``OcrJob``."""
    job = _queued_job([LETTER, POSTER])
    jobs.ocr_job_claim(job_id=job.pk)
    fired: list[bool] = []

    def page_two_fails_now(sender: Any, instance: OcrJob, **_: Any) -> None:
        if not fired and instance.status == OcrJobStatus.RUNNING:
            fired.append(True)
            jobs.ocr_page_run(job_id=instance.pk, page_no=2)

    signals.post_init.connect(page_two_fails_now, sender=OcrJob)
    try:
        result = tasks.ocr_page_run.apply(args=(str(job.pk), 1))
    finally:
        signals.post_init.disconnect(page_two_fails_now, sender=OcrJob)
    assert fired and result.successful(), result.traceback
    assert task_trouble == []
    _assert_failed_and_empty(job, tool_settings)


@pytest.mark.parametrize("then", ["crashes", "reads"])
def test_sibling_being_read_when_the_job_fails_ends_quietly(
    tool_settings: Any, task_trouble: list[str], then: str
) -> None:
    """Page 2 fails the job while page 1's engine runs; page 1's engine then crashes
    (a transient error, which would be retried for a live job) or reads its words."""
    tool_settings.MASTHEAD_OCR_ENGINE_FACTORY = f"tests.tools.engines.sibling_fails_then_{then}"
    job = _queued_job([LETTER, POSTER])
    jobs.ocr_job_claim(job_id=job.pk)
    result = tasks.ocr_page_run.apply(args=(str(job.pk), 1))
    assert result.successful(), result.traceback
    assert task_trouble == []  # no retry, no failure
    _assert_failed_and_empty(job, tool_settings)


def test_a_failed_job_lets_its_upload_go_in_the_same_update(tool_settings: Any) -> None:
    """No reader sees a job that has failed and still holds its upload: the row changes
    both at once (the moment the workers' sweeper test once caught between two UPDATEs)."""
    job = _queued_job([LETTER])
    jobs.ocr_job_claim(job_id=job.pk)
    seen: list[tuple[str, str]] = []

    def look(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        answer = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("UPDATE"):
            row = OcrJob.objects.filter(pk=job.pk).values_list("status", "source").get()
            seen.append((row[0], row[1]))
        return answer

    with connection.execute_wrapper(look):
        assert jobs.ocr_job_fail(job_id=job.pk, code="ocr_failed", message="no")
    assert seen, "the job was never updated"
    assert (OcrJobStatus.FAILED, job.source.name) not in seen
    assert seen[0] == (OcrJobStatus.FAILED, "")
    assert file_count(tool_settings) == 0
