"""Writes for the OCR tool: taking an upload in, API keys, share links.

Django settings are read here and nowhere else in the app: ``ocr_options_from_settings``
turns them into the library's frozen ``OcrOptions``. Running jobs lives in ``jobs.py``.

Submission order (each check before the step it protects): size from the request, rate
limit, queue cap, content sniffing and page count, then the row and the file are written
and the job is published. Any rejection leaves no row and no file behind.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from kombu.exceptions import OperationalError

from masthead import errors, ocr
from masthead.core.clientip import client_ip, limit_key
from masthead.core.stores import store_errors
from masthead.ocr import languages as ocr_languages
from masthead.tools import jobs
from masthead.tools.models import ACTIVE_STATUSES, ApiKey, OcrJob, OcrJobStatus
from masthead.tools.storage import ocr_files

log = logging.getLogger(__name__)

KEY_PREFIX = "mh_"
UPLOAD_DIR = "ocr/uploads"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a member (by session or API key) or an anonymous visitor."""

    user: User | None
    api_key: ApiKey | None
    session_key: str
    ip: str
    cookieless: bool = False  # no key, no session, no cookie: gets a capability URL (0411)

    @property
    def is_member(self) -> bool:
        return self.user is not None


def ocr_options_from_settings(
    *, member: bool = False, engine: str | None = None, languages: Sequence[str] = ()
) -> ocr.OcrOptions:
    """The one place where Django settings become library options."""
    limits = ocr.Limits(
        max_bytes=settings.MASTHEAD_OCR_MAX_BYTES_MEMBER
        if member
        else settings.MASTHEAD_OCR_MAX_BYTES,
        max_pixels=settings.MASTHEAD_OCR_MAX_PIXELS,
        max_pages=settings.MASTHEAD_OCR_MAX_PAGES_MEMBER
        if member
        else settings.MASTHEAD_OCR_MAX_PAGES,
        timeout=float(settings.CELERY_TASK_SOFT_TIME_LIMIT),
    )
    return ocr.OcrOptions(
        engine=engine or settings.MASTHEAD_OCR_ENGINE,
        languages=tuple(languages),
        limits=limits,
        threads=settings.MASTHEAD_OCR_THREADS,
    )


def ocr_languages_check(options: ocr.OcrOptions) -> tuple[str, ...]:
    """The requested languages, canonical, or ``ocr.OcrError`` before anything is stored.

    An engine plugged in through ``MASTHEAD_OCR_ENGINE_FACTORY`` is taken to read any known
    language; otherwise the engine the options name must cover each one here.
    """
    engine = "" if settings.MASTHEAD_OCR_ENGINE_FACTORY else options.engine
    return ocr_languages.check(options.languages, engine=engine)


def limits_for_display() -> dict[str, Any]:
    """The limits the tool page states, from the same settings the checks use."""
    return {
        "max_size": ocr.format_size(settings.MASTHEAD_OCR_MAX_BYTES),
        "max_size_member": ocr.format_size(settings.MASTHEAD_OCR_MAX_BYTES_MEMBER),
        "max_pages": settings.MASTHEAD_OCR_MAX_PAGES,
        "max_pages_member": settings.MASTHEAD_OCR_MAX_PAGES_MEMBER,
        "max_megapixels": settings.MASTHEAD_OCR_MAX_PIXELS // 1_000_000,
        "retention_days": settings.MASTHEAD_OCR_RETENTION_DAYS,
        "share_days": settings.MASTHEAD_OCR_SHARE_DAYS,
        "rate_anon": settings.MASTHEAD_OCR_RATE_ANON,
        "rate_window_minutes": settings.MASTHEAD_OCR_RATE_WINDOW // 60,
    }


def principal_from_request(request: HttpRequest, *, cookieless_ok: bool = False) -> Principal:
    """A Bearer API key wins; otherwise the session.

    A visitor's session is created only by a request that can make a job (a POST): a
    GET only reads, and a cookie-less GET of a job URL (a crawler, a shared link) must not
    leave a session row behind each time. Without a session it sees no visitor's job.
    With ``cookieless_ok`` (the API), a POST that carries no cookie at all (curl, a
    script) makes no session either: its job is reached by a capability URL instead.
    """
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise errors.invalid_api_key()
        key = api_key_authenticate(token=token.strip())
        return Principal(user=key.member, api_key=key, session_key="", ip=client_ip(request))
    user = request.user if request.user.is_authenticated else None
    if cookieless_ok and user is None and not request.COOKIES:
        return Principal(
            user=None, api_key=None, session_key="", ip=client_ip(request), cookieless=True
        )
    if not request.session.session_key and request.method not in SAFE_METHODS:
        request.session["ocr"] = True  # marks the session modified so its cookie is sent
        request.session.save()
    return Principal(
        user=user,
        api_key=None,
        session_key=request.session.session_key or "",
        ip=client_ip(request),
    )


def upload_limit_for_request(request: HttpRequest) -> int:
    """Largest accepted upload for this request, known before the body is read."""
    member = request.user.is_authenticated or request.headers.get(
        "Authorization", ""
    ).lower().startswith("bearer ")
    return settings.MASTHEAD_OCR_MAX_BYTES_MEMBER if member else settings.MASTHEAD_OCR_MAX_BYTES


def rate_limit_check(principal: Principal) -> None:
    """Count one submission in fixed windows per key, member, IP and session.

    Raises ``rate_limited`` (429 with Retry-After) when any of them is over its limit.
    """
    window = settings.MASTHEAD_OCR_RATE_WINDOW
    now = int(time.time())
    start = now - now % window
    buckets: list[tuple[str, int]] = []
    if principal.api_key is not None:
        buckets.append((f"key:{principal.api_key.pk}", settings.MASTHEAD_OCR_RATE_KEY))
    elif principal.user is not None:
        buckets.append((f"user:{principal.user.pk}", settings.MASTHEAD_OCR_RATE_MEMBER))
    else:
        buckets.append((f"ip:{limit_key(principal.ip)}", settings.MASTHEAD_OCR_RATE_ANON))
        if principal.session_key:
            buckets.append((f"session:{principal.session_key}", settings.MASTHEAD_OCR_RATE_ANON))
    for ident, limit in buckets:
        count = _count(f"ocr-rate:{ident}:{start}", window + 5)
        if count > limit:
            raise errors.rate_limited(max(1, start + window - now))


def _count(key: str, timeout: int) -> int:
    """Add one to a shared counter; the limiter fails closed when its store is down."""
    try:
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1
    except store_errors() as exc:
        log.warning("rate limit store unavailable: %s", exc)
        raise errors.queue_unavailable() from exc


def queue_cap_check() -> None:
    if OcrJob.objects.filter(status__in=ACTIVE_STATUSES).count() >= settings.MASTHEAD_OCR_QUEUE_CAP:
        raise errors.busy()


def sanitise_filename(name: str) -> str:
    """A display-only version of the client's file name (never used in a path)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] not in {"C", "Z"} or ch == " ")
    base = re.sub(r"[^\w .()+-]", "_", base).strip(" .")
    return base[:100] or "upload"


def ocr_job_submit(
    *,
    principal: Principal,
    upload: UploadedFile[bytes],
    engine: str | None = None,
    languages: Sequence[str] = (),
    capability: str = "",
) -> OcrJob:
    """Validate, store and start one OCR job; small images are read right away.

    ``capability`` (from ``capability_new``) is the token of the job's capability URL,
    for a caller without a session or key; only its hash is stored.

    Returns the job: finished (status succeeded) when it was answered synchronously,
    queued otherwise (also a small image when every in-request slot is taken). Raises
    ``ocr.OcrError`` or ``errors.MastheadError``; a rejected upload leaves no row and no file.
    """
    options = ocr_options_from_settings(
        member=principal.is_member, engine=engine, languages=languages
    )
    options = options.replace(languages=ocr_languages_check(options))
    ocr.check_upload_size(upload.size or 0, options.limits)
    rate_limit_check(principal)
    queue_cap_check()
    source = _upload_source(upload)
    kind = ocr.sniff(_head(source))
    pages = ocr.count_pages(source, options.limits)
    sync = (
        kind != "pdf" and pages == 1 and (upload.size or 0) <= settings.MASTHEAD_OCR_SYNC_MAX_BYTES
    )
    job = _job_create(principal, upload, options, kind=kind, pages=pages, capability=capability)
    if sync:
        with inline_slot() as taken:
            if taken:
                return _run_now(job)
    _publish(job)
    return job


BatchResult = tuple[str, OcrJob | None, str, "ocr.OcrError | errors.MastheadError | None"]


def ocr_batch_submit(
    *,
    principal: Principal,
    uploads: Sequence[UploadedFile[bytes]],
    engine: str | None = None,
    languages: Sequence[str] = (),
) -> list[BatchResult]:
    """Submit each file as its own job: (name, job, capability token, refusal) per file.

    More than ``MASTHEAD_OCR_BATCH_MAX_FILES`` files is refused whole, before any work;
    otherwise a file's refusal (a bad file, the rate limit) leaves the others standing.
    """
    limit = settings.MASTHEAD_OCR_BATCH_MAX_FILES
    if not uploads or len(uploads) > limit:
        raise errors.MastheadError(
            "too_many_files", f"Send between 1 and {limit} files at once.", status=400
        )
    results: list[BatchResult] = []
    for upload in uploads:
        name = sanitise_filename(upload.name or "")
        token = capability_new() if principal.cookieless else ""
        try:
            job = ocr_job_submit(
                principal=principal,
                upload=upload,
                engine=engine,
                languages=languages,
                capability=token,
            )
        except (ocr.OcrError, errors.MastheadError) as exc:
            results.append((name, None, "", exc))
            continue
        results.append((name, job, token, None))
    return results


class _InlineSlots:
    """How many uploads this process is reading inside their requests right now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.busy = 0

    def take(self) -> bool:
        with self._lock:
            if self.busy >= settings.MASTHEAD_OCR_SYNC_SLOTS:
                return False
            self.busy += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.busy -= 1


INLINE_SLOTS = _InlineSlots()


@contextmanager
def inline_slot() -> Iterator[bool]:
    """Yield whether a slot to read in this request was free; never waits for one.

    A web thread reading an image cannot serve pages, so at most
    ``MASTHEAD_OCR_SYNC_SLOTS`` threads per process do; the rest queue their job (ADR 0408).
    """
    taken = INLINE_SLOTS.take()
    try:
        yield taken
    finally:
        if taken:
            INLINE_SLOTS.give_back()


def _upload_source(upload: UploadedFile[bytes]) -> bytes | Path:
    if isinstance(upload, TemporaryUploadedFile):
        return Path(upload.temporary_file_path())
    upload.seek(0)
    data: bytes = upload.read()
    upload.seek(0)
    return data


def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[:2048]
    with source.open("rb") as handle:
        return handle.read(2048)


def _job_create(
    principal: Principal,
    upload: UploadedFile[bytes],
    options: ocr.OcrOptions,
    *,
    kind: str,
    pages: int,
    capability: str = "",
) -> OcrJob:
    job_id = uuid.uuid4()
    upload.seek(0)
    name = ocr_files().save(f"{UPLOAD_DIR}/{job_id.hex}", upload)
    try:
        with transaction.atomic():
            return OcrJob.objects.create(
                id=job_id,
                owner=principal.user,
                session_key=principal.session_key,
                api_key=principal.api_key,
                capability=capability_hash(capability) if capability else None,
                options=options.to_dict(),
                filename=sanitise_filename(upload.name or ""),
                kind=kind,
                size=upload.size or 0,
                source=name,
                pages_total=pages,
                lease_expires_at=timezone.now()
                + timedelta(seconds=settings.MASTHEAD_OCR_LEASE_SECONDS),
            )
    except BaseException:
        ocr_files().delete(name)
        raise


def _run_now(job: OcrJob) -> OcrJob:
    """Answer a small image in this request; a rejection removes the job entirely."""
    error = jobs.ocr_job_run_inline(job_id=job.pk)
    if error is not None:
        jobs.ocr_job_discard(job_id=job.pk)
        raise error
    _publish_pdf(job)
    job.refresh_from_db()
    return job


def _publish_pdf(job: OcrJob) -> None:
    """Queue the searchable PDF; with the broker down the sweeper makes it instead."""
    from masthead.tools import tasks

    try:
        tasks.ocr_job_pdf_make.apply_async((str(job.pk),), retry=False)
    except (OperationalError, OSError) as exc:
        log.warning("broker unavailable, PDF of job %s left to the sweeper: %s", job.pk, exc)


def _publish(job: OcrJob) -> None:
    """Enqueue the job; a broker that is down turns into 503 with nothing left behind."""
    from masthead.tools import tasks  # tasks import jobs; keep the import graph one-way

    try:
        tasks.ocr_job_run.apply_async(
            (str(job.pk),), retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY
        )
    except (OperationalError, OSError) as exc:
        log.warning("broker unavailable, job %s discarded: %s", job.pk, exc)
        jobs.ocr_job_discard(job_id=job.pk)
        raise errors.queue_unavailable() from exc


def capability_new() -> str:
    """A fresh capability token: whoever holds it may read that one job (0411)."""
    return secrets.token_urlsafe(32)


def capability_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- API keys ----------------------------------------------------------------------------


def _hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_key_create(*, member: User, name: str) -> tuple[ApiKey, str]:
    """A new key; the clear token is returned once and never stored."""
    token = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        member=member,
        name=(name.strip() or "API key")[:80],
        prefix=token[:10],
        hashed_key=_hash_key(token),
    )
    return key, token


def api_key_revoke(*, member: User, key_id: int) -> None:
    ApiKey.objects.filter(member=member, pk=key_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_key_authenticate(*, token: str) -> ApiKey:
    key = (
        ApiKey.objects.select_related("member")
        .filter(hashed_key=_hash_key(token), revoked_at__isnull=True, member__is_active=True)
        .first()
    )
    if key is None:
        raise errors.invalid_api_key()
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


# --- Share links and deletion ------------------------------------------------------------


def ocr_job_share(*, job: OcrJob) -> OcrJob:
    """Opt in to an unlisted, expiring, text-only link (a new token each time)."""
    if job.status != OcrJobStatus.SUCCEEDED:
        raise errors.MastheadError(
            "not_shareable", "Only a finished result can be shared.", status=409
        )
    job.share_token = secrets.token_urlsafe(32)
    job.share_expires_at = timezone.now() + timedelta(days=settings.MASTHEAD_OCR_SHARE_DAYS)
    job.save(update_fields=["share_token", "share_expires_at"])
    return job


def ocr_job_unshare(*, job: OcrJob) -> None:
    job.share_token = None
    job.share_expires_at = None
    job.save(update_fields=["share_token", "share_expires_at"])


def ocr_job_delete(*, job: OcrJob) -> None:
    jobs.ocr_job_discard(job_id=job.pk)
