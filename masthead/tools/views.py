"""Tool pages: the list, the OCR page (form POST without JavaScript), results, downloads.

Views only translate: library and app errors become an inline message with their 4xx
status, never a 500 page. The upload POST's size was checked before CSRF, by
``UploadLimitMiddleware``; ``upload_refused`` is how this page answers a refused upload.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead import errors, ocr
from masthead.tools import content, languages, receipts, registry, selectors, services
from masthead.tools.forms import ApiKeyForm, OcrUploadForm, download_formats
from masthead.tools.models import OcrJob, OcrJobStatus
from masthead.tools.storage import ocr_files
from masthead.tools.uploads import too_large

SANDBOX = "default-src 'none'; sandbox"


def _tool_context(**extra: Any) -> dict[str, Any]:
    tool = registry.get("ocr")
    assert tool is not None
    return {
        "tool": tool,
        "services_limits": services.limits_for_display(),
        "faq": content.FAQ,
        "json_ld": content.json_ld(tool),
        **extra,
    }


def _job_or_404(request: HttpRequest, job_id: UUID) -> OcrJob:
    try:
        return selectors.ocr_job_get_for(
            job_id=job_id, principal=services.principal_from_request(request)
        )
    except errors.MastheadError as exc:
        raise Http404(exc.message) from exc


def _form_error(request: HttpRequest, form: OcrUploadForm, exc: Exception) -> HttpResponse:
    code = getattr(exc, "code", "invalid_request")
    context = _tool_context(form=form, error=getattr(exc, "message", str(exc)), error_code=code)
    return render(request, "tools/ocr_page.html", context, status=errors.status_for(exc))


def upload_refused(request: HttpRequest, exc: ocr.OcrError | errors.MastheadError) -> HttpResponse:
    """The page with the refusal inline, for an upload refused before its body was read."""
    return _form_error(request, OcrUploadForm(), exc)


def _form_problem(request: HttpRequest, form: OcrUploadForm) -> Exception:
    """The form's first problem as the error the API would report for it."""
    refused = too_large(request)
    if refused is not None:
        return refused
    codes = {error.code for error in form.errors.as_data().get("file", [])}
    if "empty" in codes:
        return ocr.EmptyFileError()
    message = " ".join(str(m) for messages in form.errors.values() for m in messages)
    return errors.MastheadError("invalid_request", message, status=400)


@require_GET
def tool_list(request: HttpRequest) -> HttpResponse:
    return render(request, "tools/tool_list.html", {"tools": registry.all_tools()})


@require_http_methods(["GET", "HEAD", "POST"])
def ocr_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "tools/ocr_page.html", _tool_context(form=OcrUploadForm()))
    return _ocr_post(request)


def _ocr_post(request: HttpRequest) -> HttpResponse:
    form = OcrUploadForm(request.POST, request.FILES)
    if too_large(request) or not form.is_valid():
        return _form_error(request, form, _form_problem(request, form))
    try:
        job = services.ocr_job_submit(
            principal=services.principal_from_request(request),
            upload=form.cleaned_data["file"],
            languages=form.languages_list(),
        )
    except (ocr.OcrError, errors.MastheadError) as exc:
        return _form_error(request, form, exc)
    return redirect("tools:ocr_result", job_id=job.pk)


@never_cache
@require_GET
def ocr_result(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _job_or_404(request, job_id)
    document = selectors.ocr_job_document(job=job)
    context = _tool_context(
        job=job,
        pages=selectors.ocr_job_pages(job=job),
        tables=selectors.ocr_job_tables(job=job),
        document=document,
        details=selectors.ocr_job_details(document=document),
        language_name=languages.language_label(document.pages[0] if document else None),
        formats=download_formats(),
    )
    return render(request, "tools/ocrjob_detail.html", context)


def _private_file(response: HttpResponse | FileResponse) -> None:
    """Headers for a job's files: no shared or stored copies, no sniffing, no scripts."""
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX


@require_GET
def ocr_preview(request: HttpRequest, job_id: UUID, page_no: int) -> FileResponse:
    """A page preview, for whoever may open the job page (a share link shows text only)."""
    job = _job_or_404(request, job_id)
    name = selectors.ocr_job_preview_path(job=job, page_no=page_no)
    if name is None or not ocr_files().exists(name):
        raise Http404("The preview was deleted.")
    response = FileResponse(ocr_files().open(name), content_type="image/webp")
    _private_file(response)
    return response


@require_GET
def ocr_download(request: HttpRequest, job_id: UUID, fmt: str) -> HttpResponse:
    """The whole result in ``fmt``, or one page of it with ``?page=N``."""
    job = _job_or_404(request, job_id)
    if fmt not in ocr.FORMATS or job.result is None:
        raise Http404("No such format.")
    page = _page_number(request.GET.get("page"))
    try:
        body = selectors.ocr_job_render(job=job, fmt=fmt, page=page)
    except errors.MastheadError as exc:
        raise Http404("No such page.") from exc
    exporter = ocr.FORMATS[fmt]
    response = HttpResponse(body, content_type=exporter.media_type)
    stem = (job.filename.rsplit(".", 1)[0] or "text") + (f"-page-{page}" if page else "")
    response["Content-Disposition"] = f'attachment; filename="{stem}{exporter.extension}"'
    _private_file(response)
    return response


def _page_number(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise Http404("No such page.")
    return int(raw)


@require_GET
def ocr_batch_zip(request: HttpRequest) -> HttpResponse:
    """One zip of several results (``?ids=a,b,c``): each as text and searchable PDF."""
    try:
        ids = selectors.batch_ids(request.GET.get("ids", ""))
        data = selectors.ocr_batch_zip(
            job_ids=ids, principal=services.principal_from_request(request)
        )
    except errors.MastheadError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="ocr-results.zip"'
    _private_file(response)
    return response


@require_POST
def ocr_receipt_export(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The receipt card's values, as corrected by the reader, as CSV or XLSX."""
    job = _job_or_404(request, job_id)
    fmt = request.POST.get("format", "csv")
    if fmt not in receipts.EXPORTS or job.result is None:
        raise Http404("No such format.")
    try:
        values = receipts.receipt_values_from_post(request.POST)
    except errors.MastheadError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    media_type, extension = receipts.EXPORTS[fmt]
    response = HttpResponse(receipts.receipt_export(values, fmt), content_type=media_type)
    stem = job.filename.rsplit(".", 1)[0] or "receipt"
    response["Content-Disposition"] = f'attachment; filename="{stem}-receipt{extension}"'
    _private_file(response)
    return response


@require_POST
def ocr_share(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """Create or stop the share link; a script gets the section back, a form a redirect."""
    job = _job_or_404(request, job_id)
    if request.POST.get("action") == "stop":
        services.ocr_job_unshare(job=job)
    elif job.status == OcrJobStatus.SUCCEEDED:
        services.ocr_job_share(job=job)
    if request.headers.get("X-Requested-With") == "fetch":
        return render(request, "tools/_ocr_share.html", _tool_context(job=job))
    return redirect(reverse("tools:ocr_result", kwargs={"job_id": job.pk}) + "#share")


@require_POST
def ocr_delete(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """Ask first; delete only when the confirmation form was sent."""
    job = _job_or_404(request, job_id)
    if request.POST.get("confirm") != "yes":
        return render(request, "tools/ocrjob_confirm_delete.html", _tool_context(job=job))
    services.ocr_job_delete(job=job)
    messages.success(request, "The result was deleted.")
    return redirect("tools:ocr")


@never_cache  # the owner may stop sharing at any time: no copy may outlive that
@require_GET
def ocr_shared(request: HttpRequest, token: str) -> HttpResponse:
    try:
        job = selectors.ocr_job_get_shared(token=token)
    except errors.MastheadError as exc:
        raise Http404(exc.message) from exc
    response = render(
        request,
        "tools/ocrjob_shared.html",
        {"job": job, "document": selectors.ocr_job_document(job=job)},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@login_required
@require_POST
def api_key_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    key, token = services.api_key_create(member=request.user, name=name)  # type: ignore[arg-type]
    return render(request, "tools/apikey_created.html", {"key": key, "token": token})


@login_required
@require_POST
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    services.api_key_revoke(member=request.user, key_id=key_id)  # type: ignore[arg-type]
    return redirect("members:account")
