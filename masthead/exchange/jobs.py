"""Imports and full exports run from the newsroom as background jobs (ADR 0605).

``import_job_create`` checks an upload in the request (size, and that it is the kind of
file chosen) so a wrong file is refused at once with nothing stored; it then saves the
upload to the private exchange storage and queues ``tasks.import_job_run``. The worker
calls ``import_job_run``, which runs the same service function the command does, inside
its one transaction: a failure leaves the site as it was, and the job row says why.
Whatever the outcome, the upload is deleted when the job ends.

Progress (stage, done, total) is written to a small JSON file beside the upload rather
than to the job row: the import's transaction would hide the row's updates from the
polling page until the import ends (on SQLite, it holds the write lock too).
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import logging
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import get_valid_filename
from kombu.exceptions import OperationalError

from masthead.errors import MastheadError
from masthead.exchange import export, services
from masthead.exchange.models import ImportJob
from masthead.exchange.records import ImportRefused, ImportReport
from masthead.exchange.storage import exchange_files

log = logging.getLogger(__name__)
Kind = ImportJob.Kind
Status = ImportJob.Status
IMPORT_KINDS = [Kind.GHOST, Kind.WORDPRESS, Kind.SUBSTACK, Kind.SUBSCRIBERS]
TIME_LIMIT = 3600  # seconds a job may run before the worker stops it
STALE_AFTER = timedelta(seconds=TIME_LIMIT + 120)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_EXPECTED: dict[str, str] = {
    Kind.GHOST: "a Ghost export: the .json file from Ghost's Labs page, or a .zip holding it",
    Kind.WORDPRESS: "a WordPress export: the .xml file from Tools → Export, or a .zip holding it",
    Kind.SUBSTACK: "a Substack export: the .zip from Settings → Exports",
    Kind.SUBSCRIBERS: "a subscriber list: a UTF-8 .csv with an email column",
}


# --- in the request --------------------------------------------------------------------


def _refuse_wrong(kind: str, reason: str) -> ImportRefused:
    return ImportRefused(
        f"{reason} Expected {_EXPECTED[kind]}. Nothing was stored.", code="wrong_file"
    )


def _check_upload(kind: str, upload: UploadedFile[Any]) -> None:
    """Refuse (nothing stored) a file too large, empty, or plainly not of ``kind``."""
    limit = settings.MASTHEAD_IMPORT_UPLOAD_MAX_BYTES
    if (upload.size or 0) > limit:
        raise MastheadError(
            "file_too_large",
            f"The file is {upload.size:,} bytes; the limit is {limit:,} "
            "(MASTHEAD_IMPORT_UPLOAD_MAX_BYTES). Nothing was stored.",
            status=413,
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not head:
        raise ImportRefused("The file is empty. Nothing was stored.", code="empty_file")
    zipped = head.startswith(_ZIP_MAGIC)
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if kind == Kind.SUBSTACK and not zipped:
        raise _refuse_wrong(kind, "This is not a zip file.")
    if kind == Kind.GHOST and not (zipped or text.startswith(b"{")):
        raise _refuse_wrong(kind, "This is neither JSON nor a zip file.")
    if kind == Kind.WORDPRESS and not (zipped or text.startswith(b"<")):
        raise _refuse_wrong(kind, "This is neither XML nor a zip file.")
    if kind == Kind.SUBSCRIBERS:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            raise _refuse_wrong(kind, "This is not UTF-8 text.") from None
        if zipped or b"\x00" in head:
            raise _refuse_wrong(kind, "This is not a text file.")


def import_job_create(*, kind: str, upload: UploadedFile[Any], dry_run: bool, by: Any) -> ImportJob:
    """Check and store the upload, then queue the import. Raises ``MastheadError``."""
    if kind not in IMPORT_KINDS:
        raise ImportRefused("Choose what kind of file this is.", code="bad_kind")
    _check_upload(kind, upload)
    name = get_valid_filename(Path(upload.name or "upload").name)[:100] or "upload"
    stored = exchange_files().save(f"uploads/{uuid.uuid4().hex}/{name}", upload)
    job = ImportJob.objects.create(
        kind=kind,
        dry_run=dry_run,
        file=stored,
        file_name=name,
        file_size=upload.size or 0,
        created_by=by,
    )
    _publish(job)
    return job


def export_job_create(*, by: Any) -> ImportJob:
    """Queue a full export of the site (the same zip ``export_site`` writes)."""
    job = ImportJob.objects.create(kind=Kind.EXPORT, created_by=by)
    _publish(job)
    return job


def _publish(job: ImportJob) -> None:
    """Queue the job; a broker that is down is a 503 with nothing left behind."""
    from masthead.exchange import tasks  # tasks import this module; keep the graph one-way

    try:
        tasks.import_job_run.apply_async(
            (job.pk,), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
        )
    except (OperationalError, OSError) as exc:
        log.warning("broker unavailable, import job %s discarded: %s", job.pk, exc)
        _delete_file(job.file.name)
        job.delete()
        raise MastheadError(
            "queue_unavailable",
            "Background jobs cannot be queued right now; nothing was stored. "
            "Try again in a minute.",
            status=503,
            retry_after=60,
        ) from exc


# --- in the worker ---------------------------------------------------------------------


class _Progress:
    """``progress(stage, done, total)`` written to the job's progress file, at most twice a
    second (and at each stage's start and end)."""

    def __init__(self, job: ImportJob) -> None:
        self.path = Path(exchange_files().path(_progress_name(job.pk)))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.stage, self.last = "", 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and 0 < done < total and now - self.last < 0.5:
            return
        self.stage, self.last = stage, now
        partial = self.path.with_suffix(".part")
        partial.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
        partial.replace(self.path)


def _progress_name(job_id: int) -> str:
    return f"progress/{job_id}.json"


def _delete_file(name: str | None) -> None:
    if name:
        exchange_files().delete(name)


def _run_import(job: ImportJob, progress: _Progress) -> dict[str, Any]:
    path = Path(exchange_files().path(job.file.name or ""))
    if not path.is_file():
        raise ImportRefused(
            "The uploaded file is no longer there (the workers may not share the web "
            "server's MASTHEAD_EXCHANGE_FILES_ROOT). Upload it again.",
            code="no_file",
        )
    progress("reading", 0, 0)
    report: ImportReport
    if job.kind == Kind.GHOST:
        report = services.ghost_import(path=path, dry_run=job.dry_run, progress=progress)
    elif job.kind == Kind.WORDPRESS:
        report = services.wordpress_import(path=path, dry_run=job.dry_run, progress=progress)
    elif job.kind == Kind.SUBSTACK:
        report = services.substack_import(path=path, dry_run=job.dry_run, progress=progress)
    else:
        report = services.subscribers_import_csv(path=path, dry_run=job.dry_run)
    return dataclasses.asdict(report)


def _run_export(job: ImportJob, progress: _Progress) -> dict[str, Any]:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = f"exports/{uuid.uuid4().hex}/masthead-{stamp}.zip"
    counts = export.site_export(output=Path(exchange_files().path(name)), progress=progress)
    for older in ImportJob.objects.filter(kind=Kind.EXPORT).exclude(pk=job.pk).exclude(file=""):
        _delete_file(older.file.name)  # only the newest export is kept
        ImportJob.objects.filter(pk=older.pk).update(file="")
    job.file.name = name
    return dict(counts)


def import_job_run(*, job_id: int) -> None:
    """Run one queued job; a re-delivered or unknown job is a no-op."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    upload = job.file.name if job.kind != Kind.EXPORT else ""
    progress = _Progress(job)
    try:
        runner = _run_export if job.kind == Kind.EXPORT else _run_import
        job.report = runner(job, progress)
    except MastheadError as exc:
        _finish(job, Status.FAILED, code=exc.code, error=exc.message, keep_file=False)
        return
    except Exception:
        _finish(
            job,
            Status.FAILED,
            code="unexpected",
            error="The job stopped on an unexpected error, so nothing was saved. The error is "
            "in the worker's log.",
            keep_file=False,
        )
        raise
    finally:
        _delete_file(upload)
        _delete_file(_progress_name(job_id))
    _finish(job, Status.DONE, keep_file=job.kind == Kind.EXPORT)


def _finish(
    job: ImportJob, status: str, *, keep_file: bool, code: str = "", error: str = ""
) -> None:
    job.status, job.error_code, job.error = status, code, error
    job.finished_at = timezone.now()
    if not keep_file:
        job.file.name = ""
    job.save(update_fields=["status", "error_code", "error", "finished_at", "file", "report"])


# --- reading ---------------------------------------------------------------------------


def import_job_list(*, limit: int = 10) -> list[ImportJob]:
    """The newest jobs, after failing those whose worker died (no job outlives its limit)."""
    cutoff = timezone.now() - STALE_AFTER
    ImportJob.objects.filter(status=Status.RUNNING, started_at__lt=cutoff).update(
        status=Status.FAILED,
        error_code="worker_lost",
        error="The worker running this job stopped before it finished, so nothing was saved.",
        finished_at=timezone.now(),
    )
    return list(ImportJob.objects.select_related("created_by")[:limit])


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """What the page shows while the job runs: status, stage, done of total, percent."""
    stage, done, total = job.stage, job.done, job.total
    if job.status == Status.RUNNING:
        try:
            data = json.loads(Path(exchange_files().path(_progress_name(job.pk))).read_text())
            stage, done, total = str(data["stage"]), int(data["done"]), int(data["total"])
        except (OSError, ValueError, KeyError):
            pass  # not written yet, or just removed at the end: the row's values stand
    percent = 100 if job.status == Status.DONE else (100 * done // total if total else 0)
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "stage": stage,
        "done": done,
        "total": total,
        "percent": percent,
        "error": job.error,
    }
