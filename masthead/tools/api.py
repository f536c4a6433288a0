"""The OCR JSON API (v1): submit a file, read a job. Endpoints only translate.

Who is asking is settled before the body is parsed (``Caller``): a Bearer API key, a
signed-in member's session (CSRF-checked) or an anonymous visitor's session. The upload's
size was checked earlier still, by ``UploadLimitMiddleware``, before anything (this CSRF
check included) could read the body.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security.http import HttpBearer
from ninja.utils import check_csrf
from pydantic import Field

from masthead import errors, ocr
from masthead.ocr import languages as ocr_languages_module
from masthead.tools import selectors, services
from masthead.tools.models import OcrJob, OcrJobStatus

# Plain strings with a pattern rather than enums: a form sends an unset choice as an empty
# string, which the schema must allow (it means the default).
FORMAT_PATTERN = f"^({'|'.join(ocr.FORMATS)})?$"
ENGINE_PATTERN = "^(default|auto|rapid|tesseract)?$"
FORMAT_HELP = f"One of {', '.join(ocr.FORMATS)}; empty means json"


class Caller(HttpBearer):
    """Optional Bearer key; anyone may call, as a key, a member or a visitor."""

    def __call__(self, request: HttpRequest) -> services.Principal:
        session_post = request.method == "POST" and "Authorization" not in request.headers
        if session_post and request.user.is_authenticated and check_csrf(request) is not None:
            raise errors.csrf_failed()
        return services.principal_from_request(request, cookieless_ok=True)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return None  # __call__ does the work; kept for the OpenAPI security scheme


class ErrorBody(Schema):
    code: str = Field(description="Stable snake_case code, documented in docs/api.md")
    message: str


class ErrorOut(Schema):
    ok: bool = False
    status: int
    error: ErrorBody


class Progress(Schema):
    pages_done: int
    pages_total: int


class OcrJobOut(Schema):
    ok: bool = True
    id: UUID
    status: str
    progress: Progress
    url: str
    html_url: str | None = Field(
        description="The result page, for the browser that made the job; null for callers "
        "with an API key or a capability URL, which that page would not recognise."
    )
    filename: str
    created_at: datetime
    finished_at: datetime | None
    error: ErrorBody | None
    format: str
    result: dict[str, Any] | str | None = Field(
        description="The result in `format`: an object for json, text for the others "
        "(base64 for pdf), null until the job has succeeded."
    )
    result_encoding: str | None = Field(description="utf-8, base64, or null for json")

    @classmethod
    def from_job(
        cls, job: OcrJob, fmt: str, *, capability: str = "", browser: bool = True
    ) -> OcrJobOut:
        result, encoding = _rendered(job, fmt)
        url = (
            reverse("api:ocr_job_get_by_capability", kwargs={"token": capability})
            if capability
            else reverse("api:ocr_job_get", kwargs={"job_id": job.pk})
        )
        return cls(
            id=job.pk,
            status=job.status,
            progress=Progress(pages_done=job.pages_done, pages_total=job.pages_total),
            url=url,
            html_url=reverse("tools:ocr_result", kwargs={"job_id": job.pk})
            if browser and not capability
            else None,
            filename=job.filename,
            created_at=job.created_at,
            finished_at=job.finished_at,
            error=ErrorBody(code=job.code, message=job.message) if job.code else None,
            format=fmt,
            result=result,
            result_encoding=encoding,
        )


def _rendered(job: OcrJob, fmt: str) -> tuple[dict[str, Any] | str | None, str | None]:
    if job.status != OcrJobStatus.SUCCEEDED or job.result is None:
        return None, None
    if fmt == "json":
        return job.result, None
    output = selectors.ocr_job_render(job=job, fmt=fmt)
    if isinstance(output, bytes):
        return base64.b64encode(output).decode(), "base64"
    return output, "utf-8"


class OcrIn(Schema):
    format: str = Field("json", pattern=FORMAT_PATTERN, description=FORMAT_HELP)
    engine: str = Field(
        "default",
        pattern=ENGINE_PATTERN,
        description="default (or empty): the site's engine; auto picks per page",
    )
    languages: str = Field(
        "",
        max_length=600,
        pattern=r"^([a-z]{2,3}(_[a-z]{3,4})?(,[a-z]{2,3}(_[a-z]{3,4})?)*)?$",
        description=(
            "Comma-separated language codes such as eng,deu or chi_sim (GET /ocr/languages "
            "lists those installed); empty to detect"
        ),
    )


class FormatIn(Schema):
    format: str = Field("json", pattern=FORMAT_PATTERN, description=FORMAT_HELP)


UPLOAD_TYPES = "image/png, image/jpeg, application/pdf"  # and WebP, GIF, TIFF, BMP, HEIC
NON_EMPTY_FILE: dict[str, Any] = {  # a valid upload is an image or PDF of at least one byte
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {"properties": {"file": {"minLength": 1}}},
                "encoding": {"file": {"contentType": UPLOAD_TYPES}},
            }
        }
    }
}
BATCH_FILES: dict[str, Any] = {  # one or more uploads, and no other parts than the form's
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "additionalProperties": False,
                    "properties": {"files": {"minItems": 1, "items": {"minLength": 1}}},
                },
                "encoding": {"files": {"contentType": UPLOAD_TYPES}},
            }
        }
    }
}
OPTIONAL_KEY: dict[str, Any] = {
    "security": [{"Caller": []}, {}]
}  # a key is optional: visitors may call too
ERRORS: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 415, 422, 429, 503), ErrorOut)

router = Router(tags=["OCR"])


@router.post(
    "/ocr",
    response={200: OcrJobOut, 202: OcrJobOut, **ERRORS},
    auth=Caller(),
    url_name="ocr_submit",
    openapi_extra={**OPTIONAL_KEY, **NON_EMPTY_FILE},
    summary="Read the text of an image or PDF",
)
def ocr_submit(
    request: HttpRequest, file: File[UploadedFile], params: Form[OcrIn]
) -> Status[OcrJobOut]:
    """Small images are answered at once (200); PDFs and larger files give 202 and a job URL.

    A caller without a key or cookies gets a capability URL as ``url``: only it can read
    the job, and only by that URL (docs/api.md).
    """
    principal: services.Principal = request.auth  # type: ignore[attr-defined]
    capability = services.capability_new() if principal.cookieless else ""
    job = services.ocr_job_submit(
        principal=principal,
        upload=file,
        engine=None if params.engine in ("", "default") else params.engine,
        languages=[code for code in params.languages.split(",") if code],
        capability=capability,
    )
    status = 200 if job.finished else 202
    out = OcrJobOut.from_job(
        job, params.format or "json", capability=capability, browser=principal.api_key is None
    )
    return Status(status, out)


class BatchItemOut(Schema):
    filename: str
    job: OcrJobOut | None = Field(description="The job, as /ocr answers it; null if refused")
    error: ErrorBody | None = Field(description="Why this file was refused; null if accepted")


class BatchOut(Schema):
    ok: bool = True
    files: list[BatchItemOut]


@router.post(
    "/ocr/batch",
    response={200: BatchOut, **ERRORS},
    auth=Caller(),
    url_name="ocr_batch_submit",
    openapi_extra={**OPTIONAL_KEY, **BATCH_FILES},
    summary="Read several files at once",
)
def ocr_batch_submit(
    request: HttpRequest, files: File[list[UploadedFile]], params: Form[OcrIn]
) -> BatchOut:
    """Each file becomes its own job (or its own refusal), in the order sent."""
    principal: services.Principal = request.auth  # type: ignore[attr-defined]
    results = services.ocr_batch_submit(
        principal=principal,
        uploads=files,
        engine=None if params.engine in ("", "default") else params.engine,
        languages=[code for code in params.languages.split(",") if code],
    )
    return BatchOut(
        files=[
            BatchItemOut(
                filename=name,
                job=OcrJobOut.from_job(
                    job,
                    params.format or "json",
                    capability=token,
                    browser=principal.api_key is None,
                )
                if job
                else None,
                error=ErrorBody(code=error.code, message=error.message) if error else None,
            )
            for name, job, token, error in results
        ]
    )


@router.get(
    "/ocr/jobs/{job_id}",
    response={200: OcrJobOut, **ERRORS},
    auth=Caller(),
    url_name="ocr_job_get",
    openapi_extra=OPTIONAL_KEY,
    summary="Status, progress and result of a job",
)
def ocr_job_get(request: HttpRequest, job_id: UUID, params: Query[FormatIn]) -> OcrJobOut:
    """Only the job's owner (same API key's member or same session) sees it; others get 404."""
    principal: services.Principal = request.auth  # type: ignore[attr-defined]
    job = selectors.ocr_job_get_for(job_id=job_id, principal=principal)
    return OcrJobOut.from_job(job, params.format or "json", browser=principal.api_key is None)


@router.get(
    "/ocr/results/{token}",
    response={200: OcrJobOut, **ERRORS},
    url_name="ocr_job_get_by_capability",
    summary="A job by its capability URL (callers without a key or cookies)",
)
def ocr_job_get_by_capability(
    request: HttpRequest, token: str, params: Query[FormatIn]
) -> OcrJobOut:
    """Whoever holds the URL may read the job; an unknown or deleted one is 404."""
    job = selectors.ocr_job_get_by_capability(token=token)
    return OcrJobOut.from_job(job, params.format or "json", capability=token)


class LanguageOut(Schema):
    code: str = Field(description="The code to send in `languages`, such as eng or chi_sim")
    name: str = Field(description="English name of the language")
    script: str = Field(description="ISO 15924 script code, such as Latn, Cyrl or Hani")
    engines: list[str] = Field(description="Engines on this server that read it, best first")


class LanguagesOut(Schema):
    languages: list[LanguageOut]


@router.get(
    "/ocr/languages",
    response={200: LanguagesOut},
    url_name="ocr_languages",
    summary="Languages this server can read",
)
def ocr_languages(request: HttpRequest) -> LanguagesOut:
    """Every installed language by name; any other code in `languages` is refused (422)."""
    del request
    return LanguagesOut(
        languages=[LanguageOut(**lang.to_dict()) for lang in ocr_languages_module.installed()]  # type: ignore[arg-type]
    )
