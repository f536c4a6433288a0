"""Running OCR jobs: claim, fan out page by page, assemble once, sweep, purge.

Every function here is idempotent and takes ids, because Celery may deliver a message
twice (``acks_late``) or never (a worker killed before it acked). The rules:

- A job is *claimed* (queued -> running, ``attempts`` + 1, a lease) by ``ocr_job_run``;
  a running job whose lease is still valid belongs to someone else and is left alone.
- A page is done when its ``OcrPageResult`` row exists; UNIQUE(job, page_no) makes a
  second run of the same page a no-op.
- The job is assembled when every page row exists, by a conditional UPDATE
  (``status in (queued, running)`` -> ``succeeded``) so exactly one caller wins.
- A page's error fails the job with its code, the same conditional way; the failed job
  keeps no page rows or previews. Its other pages, running or queued, then end quietly:
  nothing stored, no retry, no exception (their file may already be gone).
- ``ocr_sweep`` re-queues jobs whose lease expired (their worker died) and deletes
  uploaded files and previews at most an hour after a job ends.
"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image

from masthead import ocr
from masthead.tools import engines
from masthead.tools.models import ACTIVE_STATUSES, OcrJob, OcrJobStatus, OcrPageResult
from masthead.tools.storage import ocr_files

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong while reading this file. Please try again later."
PREVIEW_MAX_SIDE = 1600
PREVIEW_TTL = timedelta(minutes=55)  # the sweeper runs every minute: files go within 1 h


def _lease() -> Any:
    return timezone.now() + timedelta(seconds=settings.MASTHEAD_OCR_LEASE_SECONDS)


def _options(job: OcrJob) -> ocr.OcrOptions:
    return ocr.OcrOptions.from_dict(job.options)


def _source(job: OcrJob) -> Path:
    return Path(ocr_files().path(job.source.name or ""))


def ocr_job_claim(*, job_id: Any) -> OcrJob | None:
    """Take the job if it is queued (or its lease ran out); None if it is not ours to run."""
    now = timezone.now()
    with transaction.atomic():
        job = OcrJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        lease_valid = job.lease_expires_at is not None and job.lease_expires_at > now
        if job.status == OcrJobStatus.RUNNING and lease_valid:
            return None
        job.status = OcrJobStatus.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.lease_expires_at = _lease()
        job.save(update_fields=["status", "attempts", "started_at", "lease_expires_at"])
    return job


def ocr_job_run(*, job_id: Any) -> list[int]:
    """Claim the job; run a one-page job here, or return the page numbers to fan out."""
    job = ocr_job_claim(job_id=job_id)
    if job is None:
        return []
    if job.pages_total <= 1:
        ocr_page_run(job_id=job.pk, page_no=1, last_try=True)
        return []
    done = set(OcrPageResult.objects.filter(job=job).values_list("page_no", flat=True))
    missing = [n for n in range(1, job.pages_total + 1) if n not in done]
    if not missing:
        ocr_job_assemble(job_id=job.pk)
    return missing


def ocr_job_run_inline(*, job_id: Any) -> ocr.OcrError | None:
    """Run a whole job in this process (small images in a web request).

    Returns the library error that failed it, so the caller can answer with its status.
    """
    job = ocr_job_claim(job_id=job_id)
    if job is None:
        return None
    try:
        for page_no in range(1, job.pages_total + 1):
            _page_compute(job, page_no, threads=settings.MASTHEAD_OCR_SYNC_THREADS)
    except ocr.OcrError as exc:
        ocr_job_fail(job_id=job.pk, code=exc.code, message=exc.message)
        return exc
    except Exception:
        ocr_job_discard(job_id=job.pk)
        raise
    ocr_job_assemble(job_id=job.pk, keep_source=True)  # the PDF is made after the answer
    return None


def ocr_page_run(*, job_id: Any, page_no: int, last_try: bool = True) -> None:
    """Recognise one page (once), then assemble if it was the last one missing.

    Transient engine errors are re-raised for the task to retry unless ``last_try``;
    every other library error fails the job with its code. A job that ended while this
    page was read (another page failed it, or its owner deleted it, taking its file) is
    no error of this page: the page ends quietly, without a retry or a traceback.
    """
    job = OcrJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    try:
        _page_compute(job, page_no)
    except Exception as exc:
        if not _active(job.pk):
            log.info("ocr job %s ended before page %s was read (%s)", job.pk, page_no, _named(exc))
            return
        if _page_failed(job, exc, last_try=last_try):
            raise
        return
    ocr_job_assemble(job_id=job.pk)


def _active(job_id: Any) -> bool:
    return OcrJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).exists()


def _named(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {getattr(exc, 'code', exc)}"


def _page_failed(job: OcrJob, exc: Exception, *, last_try: bool) -> bool:
    """Fail the job for this page's error; True when the task must raise (retry, or a bug)."""
    struck = isinstance(exc, SoftTimeLimitExceeded) or (
        isinstance(exc, ocr.OcrError) and isinstance(exc.__cause__, SoftTimeLimitExceeded)
    )  # the worker's soft limit, struck outside or inside the engine call
    if struck:
        _fail_timeout(job)
        return False
    if isinstance(exc, ocr.OcrError):
        if exc.transient and not last_try:
            return True
        ocr_job_fail(job_id=job.pk, code=exc.code, message=exc.message)
        return False
    ocr_job_fail(job_id=job.pk, code="ocr_failed", message=UNEXPECTED)
    return True  # a bug: fail the job visibly instead of retrying it forever


def _fail_timeout(job: OcrJob) -> None:
    timeout = ocr.OcrTimeoutError(float(settings.CELERY_TASK_SOFT_TIME_LIMIT))
    ocr_job_fail(job_id=job.pk, code=timeout.code, message=timeout.message)


def _page_compute(job: OcrJob, page_no: int, *, threads: int | None = None) -> None:
    """Read one page and store it. ``threads`` overrides the job's for a read in a request:
    the reader is waiting, and one such read per web process holds its slot (ADR 0414)."""
    if OcrPageResult.objects.filter(job=job, page_no=page_no).exists():
        return
    options = _options(job)
    if threads is not None:
        options = options.replace(threads=threads)
    image = ocr.open_page(_source(job), page_no, options.limits, dpi=options.dpi)
    engines.release_when_idle()
    page = ocr.run_page(image, options, engines.engine_for_site())
    preview = _preview_save(job, page_no, image.image, page.angle)
    result = ocr.Document(pages=(page,)).to_dict()
    try:
        with transaction.atomic():
            # Under the job's row lock: a page of a job that ended meanwhile is not stored.
            stored = _active_locked(job.pk)
            if stored:
                OcrPageResult.objects.create(
                    job=job, page_no=page_no, result=result, preview=preview
                )
    except IntegrityError:  # another delivery finished this page first
        stored = False
    if not stored:
        if preview:
            ocr_files().delete(preview)
        return
    done = OcrPageResult.objects.filter(job=job).count()
    OcrJob.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(
        pages_done=done, lease_expires_at=_lease()
    )


def _active_locked(job_id: Any) -> bool:
    """True if the job is still running, holding its row until the transaction ends."""
    active = OcrJob.objects.select_for_update().filter(pk=job_id, status__in=ACTIVE_STATUSES)
    return active.values_list("pk", flat=True).first() is not None


def _preview_save(job: OcrJob, page_no: int, image: Image.Image | None, angle: int) -> str:
    """A small upright WebP of the page for the result view (deleted within an hour)."""
    if image is None:
        return ""
    picture = image.rotate(-angle, expand=True) if angle else image.copy()
    picture.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE))
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format="WEBP", quality=70)
    return ocr_files().save(
        f"ocr/previews/{job.pk.hex}-{page_no}.webp", ContentFile(buffer.getvalue())
    )


def ocr_job_assemble(*, job_id: Any, keep_source: bool = False) -> bool:
    """Finish the job if every page is done; True only for the one caller that finished it.

    The searchable PDF is made here, from the upload, which is then deleted; with
    ``keep_source`` (a read inside a web request, which must answer first) both wait for
    ``ocr_job_pdf_make``.
    """
    job = OcrJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return False
    rows = list(
        OcrPageResult.objects.filter(job=job).order_by("page_no").values_list("result", flat=True)
    )
    if len(rows) < job.pages_total:
        return False
    pages = [ocr.Document.from_dict(row).pages[0] for row in rows]
    document = ocr.assemble(pages, _options(job))
    pdf_name = "" if keep_source else _searchable_pdf_save(job, document)
    # The upload is let go in the same UPDATE, so no reader sees a finished job that
    # still holds it; its file goes right after.
    release = {} if keep_source else {"source": ""}
    won = OcrJob.objects.filter(pk=job.pk, status__in=ACTIVE_STATUSES).update(
        status=OcrJobStatus.SUCCEEDED,
        result=document.to_dict(),
        searchable_pdf=pdf_name,
        pages_done=len(rows),
        finished_at=timezone.now(),
        lease_expires_at=None,
        **release,
    )
    if won:
        log.info("ocr job %s succeeded", job.pk)
        if not keep_source and job.source:
            ocr_files().delete(job.source.name or "")
    elif pdf_name:
        ocr_files().delete(pdf_name)
    return bool(won)


def ocr_job_pdf_make(*, job_id: Any) -> bool:
    """Make a finished job's searchable PDF from its upload, then delete the upload.

    For jobs answered inside a request (and by the sweeper for any that still hold their
    upload). Idempotent: a job that has its PDF, or no upload, is left as it is.
    """
    job = OcrJob.objects.filter(pk=job_id, status=OcrJobStatus.SUCCEEDED).first()
    if job is None or not job.source:
        return False
    made = False
    document = ocr.Document.from_dict(job.result) if job.result else None
    if document is not None and not job.searchable_pdf:
        name = _searchable_pdf_save(job, document)
        made = bool(name) and bool(
            OcrJob.objects.filter(pk=job.pk, searchable_pdf="").update(searchable_pdf=name)
        )
        if name and not made:
            ocr_files().delete(name)
    _delete_source(job)
    return made


def _searchable_pdf_save(job: OcrJob, document: ocr.Document) -> str:
    """The page images with the invisible text, made while the upload still exists.

    The upload is deleted once the job ends, so this is the one moment the PDF can carry
    the pages (docs/decisions/0409). A PDF that cannot be made costs the job nothing: the
    download then carries the text on blank pages, as before.
    """
    if not job.source:
        return ""
    try:
        data = ocr.render(document, "pdf", source=_source(job), limits=_options(job).limits)
    except Exception as exc:  # noqa: BLE001 - a missing PDF must not fail the job
        log.warning("searchable PDF for job %s not made: %s", job.pk, _named(exc))
        return ""
    assert isinstance(data, bytes)
    return ocr_files().save(f"ocr/pdf/{job.pk.hex}.pdf", ContentFile(data))


def ocr_job_fail(*, job_id: Any, code: str, message: str) -> bool:
    """Mark an active job failed; True only for the one caller that ended it.

    The upload is let go in the same UPDATE (as when a job succeeds), so no reader sees
    a failed job that still holds it; the file and the pages go right after.
    """
    source = OcrJob.objects.filter(pk=job_id).values_list("source", flat=True).first()
    won = OcrJob.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
        status=OcrJobStatus.FAILED,
        code=code,
        message=message,
        finished_at=timezone.now(),
        lease_expires_at=None,
        source="",
    )
    if won:
        log.info("ocr job %s failed: %s", job_id, code)
        if source:
            ocr_files().delete(source)
        job = OcrJob.objects.filter(pk=job_id).first()
        if job is not None:  # a failed job shows no pages: keep none of them
            _delete_files(job)
            OcrPageResult.objects.filter(job=job).delete()
    return bool(won)


def ocr_job_discard(*, job_id: Any) -> None:
    """Remove a job with its file and previews (a rejected upload, or the owner's delete)."""
    job = OcrJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    _delete_files(job)
    job.delete()  # the searchable PDF goes with the row (signals.searchable_pdf_delete)


def _delete_source(job: OcrJob) -> None:
    if job.source:
        ocr_files().delete(job.source.name or "")
        OcrJob.objects.filter(pk=job.pk).update(source="")


def _delete_files(job: OcrJob) -> None:
    _delete_source(job)
    for preview in (
        OcrPageResult.objects.filter(job=job).exclude(preview="").values_list("preview", flat=True)
    ):
        ocr_files().delete(preview)
    OcrPageResult.objects.filter(job=job).update(preview="")


def ocr_sweep() -> list[str]:
    """Re-queue jobs whose lease expired; fail those out of attempts; delete old files.

    Returns the ids to publish again (the task publishes them).
    """
    now = timezone.now()
    stale = OcrJob.objects.filter(status__in=ACTIVE_STATUSES, lease_expires_at__lt=now)
    requeue: list[str] = []
    for job in stale:
        if job.attempts >= settings.MASTHEAD_OCR_MAX_ATTEMPTS:
            ocr_job_fail(
                job_id=job.pk,
                code="ocr_failed",
                message="This file could not be read after several tries. Try a smaller file.",
            )
            continue
        claimed = OcrJob.objects.filter(pk=job.pk, lease_expires_at__lt=now).update(
            status=OcrJobStatus.QUEUED, lease_expires_at=_lease()
        )
        if claimed:
            requeue.append(str(job.pk))
    for job in OcrJob.objects.filter(
        Q(finished_at__lt=now - PREVIEW_TTL) & (~Q(source="") | Q(page_results__preview__gt=""))
    ).distinct():
        ocr_job_pdf_make(job_id=job.pk)  # its task never ran: make the PDF before the upload goes
        _delete_files(job)
    return requeue


def ocr_purge() -> int:
    """Delete results past retention: members' after N days, visitors' after N hours."""
    now = timezone.now()
    old_member = Q(
        owner__isnull=False,
        created_at__lt=now - timedelta(days=settings.MASTHEAD_OCR_RETENTION_DAYS),
    )
    old_anon = Q(
        owner__isnull=True,
        created_at__lt=now - timedelta(hours=settings.MASTHEAD_OCR_ANON_RETENTION_HOURS),
    )
    count = 0
    for job in OcrJob.objects.filter(old_member | old_anon).exclude(status__in=ACTIVE_STATUSES):
        ocr_job_discard(job_id=job.pk)
        count += 1
    return count
