"""Reads for the OCR tool: who may see a job, results in each format, history."""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.db.models import QuerySet
from django.utils import timezone

from masthead import errors, ocr
from masthead.ocr.details import Detail, details
from masthead.tools.models import ApiKey, OcrJob, OcrPageResult
from masthead.tools.services import Principal, capability_hash
from masthead.tools.storage import ocr_files


def ocr_job_visible_to(*, job: OcrJob, principal: Principal) -> bool:
    """A member's job to that member; a visitor's job to the session that made it."""
    if job.owner_id is not None:
        return principal.user is not None and job.owner_id == principal.user.pk
    return bool(principal.session_key) and job.session_key == principal.session_key


def ocr_job_get_for(*, job_id: Any, principal: Principal) -> OcrJob:
    """The job, or ``not_found`` (404) when it does not exist or is someone else's."""
    job = OcrJob.objects.filter(pk=job_id).first()
    if job is None or not ocr_job_visible_to(job=job, principal=principal):
        raise errors.not_found()
    return job


def ocr_job_get_by_capability(*, token: str) -> OcrJob:
    """The job whose capability token this is (a caller without cookies, 0411), or 404."""
    job = OcrJob.objects.filter(capability=capability_hash(token)).first() if token else None
    if job is None:
        raise errors.not_found()
    return job


def ocr_job_document(*, job: OcrJob) -> ocr.Document | None:
    return ocr.Document.from_dict(job.result) if job.result else None


def ocr_job_render(*, job: OcrJob, fmt: str, page: int | None = None) -> str | bytes:
    """The result in ``fmt`` (one of ``ocr.FORMATS``), or one page of it.

    The searchable PDF made while the upload existed (page images under the text) is
    served as stored; a job without one (made before it existed, or one page alone) gets
    the text on blank pages.
    """
    document = ocr_job_document(job=job)
    if document is None:
        raise errors.not_found()
    if page is not None:
        chosen = tuple(p for p in document.pages if p.number == page)
        if not chosen:
            raise errors.not_found()
        fields = tuple(f for f in document.fields if f.page == page)
        return ocr.render(ocr.Document(pages=chosen, fields=fields), fmt)
    if fmt == "pdf" and job.searchable_pdf and ocr_files().exists(job.searchable_pdf.name or ""):
        with ocr_files().open(job.searchable_pdf.name or "", "rb") as handle:
            data: bytes = handle.read()
        return data
    if fmt == "pdf" and job.source and ocr_files().exists(job.source.name or ""):
        source = Path(ocr_files().path(job.source.name or ""))  # its PDF is still being made
        return ocr.render(document, fmt, source=source, limits=_limits(job))
    return ocr.render(document, fmt)


def _limits(job: OcrJob) -> ocr.Limits:
    return ocr.OcrOptions.from_dict(job.options).limits


def ocr_job_details(*, document: ocr.Document | None) -> tuple[Detail, ...]:
    """The details found, labelled and without duplicates, for the result page: beside
    the receipt's card, without what the card shows."""
    return details(document, beside_receipt=True) if document is not None else ()


def ocr_job_pages(*, job: OcrJob) -> list[dict[str, Any]]:
    """Per page: its number, size, preview (if still kept) and lines with their boxes."""
    document = ocr_job_document(job=job)
    if document is None:
        return []
    previews = dict(
        OcrPageResult.objects.filter(job=job).exclude(preview="").values_list("page_no", "preview")
    )
    pages = []
    for page in document.pages:
        text = page.text
        lines = [
            {"id": f"p{page.number}l{index}", "text": line.text, "box": line.bbox}
            for index, line in enumerate(page.lines, start=1)
        ]
        pages.append(
            {"page": page, "lines": lines, "text": text, "has_preview": page.number in previews}
        )
    return pages


def ocr_job_tables(*, job: OcrJob) -> list[list[list[str]]]:
    document = ocr_job_document(job=job)
    if document is None:
        return []
    return [
        [[cell.text for cell in row] for row in block.rows]
        for page in document.pages
        for block in page.blocks
        if block.rows
    ]


def batch_ids(raw: str) -> list[uuid.UUID]:
    """The job ids of ``?ids=a,b,c``; ``invalid_request`` (400) for a bad or long list."""
    parts = [part for part in raw.split(",") if part]
    limit = settings.MASTHEAD_OCR_BATCH_MAX_FILES
    if not parts or len(parts) > limit:
        raise errors.MastheadError(
            "invalid_request", f"Name between 1 and {limit} results to download.", status=400
        )
    try:
        return [uuid.UUID(part) for part in parts]
    except ValueError:
        raise errors.MastheadError(
            "invalid_request", "That is not a list of results.", status=400
        ) from None


def ocr_batch_zip(*, job_ids: list[uuid.UUID], principal: Principal) -> bytes:
    """A zip with each finished job's text and searchable PDF; 404 if any is not yours."""
    found = [ocr_job_get_for(job_id=job_id, principal=principal) for job_id in job_ids]
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for job in found:
            if job.result is None:
                continue
            stem = (job.filename.rsplit(".", 1)[0] or "text")[:80]
            name, n = stem, 1
            while name in used:
                n += 1
                name = f"{stem}-{n}"
            used.add(name)
            archive.writestr(f"{name}.txt", ocr_job_render(job=job, fmt="text"))
            archive.writestr(f"{name}.pdf", ocr_job_render(job=job, fmt="pdf"))
    return buffer.getvalue()


def ocr_job_preview_path(*, job: OcrJob, page_no: int) -> str | None:
    row = OcrPageResult.objects.filter(job=job, page_no=page_no).exclude(preview="").first()
    return row.preview.name if row else None


def ocr_job_get_shared(*, token: str) -> OcrJob:
    job = OcrJob.objects.filter(share_token=token, share_expires_at__gt=timezone.now()).first()
    if job is None or job.result is None:
        raise errors.not_found()
    return job


def ocr_job_list_for_member(*, user: User, limit: int = 20) -> QuerySet[OcrJob]:
    return OcrJob.objects.filter(owner=user).order_by("-created_at")[:limit]


def api_key_list_for_member(*, user: User) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(member=user).order_by("-created_at")


def ocr_history_export(user: AbstractBaseUser) -> dict[str, Any]:
    """The member's OCR data for "download my data" (text, not files: files are gone)."""
    return {
        "jobs": [
            {
                "id": str(job.pk),
                "filename": job.filename,
                "status": job.status,
                "created_at": job.created_at.isoformat(),
                "text": ocr.Document.from_dict(job.result).text if job.result else "",
            }
            for job in OcrJob.objects.filter(owner_id=user.pk)
        ],
        "api_keys": [
            {
                "name": key.name,
                "prefix": key.prefix,
                "created_at": key.created_at.isoformat(),
                "revoked": not key.active,
            }
            for key in ApiKey.objects.filter(member_id=user.pk)
        ],
    }
