"""Import & export (admins only): upload another platform's export or a subscriber list,
run it as a dry run or for real in the background, watch it, read its report; and make a
full export of the site to download (ADR 0605).

Views only translate: ``masthead.exchange.jobs`` checks, stores, queues and runs. A job's
page works without JavaScript (reload it); with it, ``exchange.js`` polls the small JSON
status answer and reloads the page once the job has finished.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from masthead.errors import MastheadError
from masthead.exchange import jobs
from masthead.exchange.models import ImportJob
from masthead.newsroom.access import admin_required


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the file?",
        choices=[(k.value, k.label) for k in jobs.IMPORT_KINDS],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="File", allow_empty_file=True)  # refused by jobs, in words
    mode = forms.ChoiceField(
        label="Run",
        choices=[
            ("dry_run", "Dry run: check the file and count what would change; save nothing"),
            ("import", "Import: save posts, tags, authors, images, redirects and subscribers"),
        ],
        initial="dry_run",
        widget=forms.RadioSelect,
    )


def _page(request: HttpRequest, form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "section": "exchange",
        "form": form or ImportForm(),
        "jobs": jobs.import_job_list(),
        "limit": filesizeformat(settings.MASTHEAD_IMPORT_UPLOAD_MAX_BYTES),
    }
    return render(request, "newsroom/exchange.html", context, status=status)


@require_GET
@admin_required
def exchange_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@admin_required
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        job = jobs.import_job_create(
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["mode"] == "dry_run",
            by=request.user,
        )
    except MastheadError as error:
        form.add_error("file", error.message)
        return _page(request, form, status=error.status)
    return redirect("newsroom:exchange_job", job_id=job.pk)


@require_POST
@admin_required
def export_start(request: HttpRequest) -> HttpResponse:
    try:
        job = jobs.export_job_create(by=request.user)
    except MastheadError as error:
        messages.error(request, error.message)
        return _page(request, status=error.status)
    return redirect("newsroom:exchange_job", job_id=job.pk)


@require_GET
@admin_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    context = {"section": "exchange", "job": job, "progress": jobs.import_job_progress(job)}
    return render(request, "newsroom/exchange_job.html", context)


@require_GET
@admin_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    return JsonResponse(jobs.import_job_progress(job))


@require_GET
@admin_required
def job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id, kind=ImportJob.Kind.EXPORT)
    if job.status != ImportJob.Status.DONE or not job.file:
        raise Http404("This export is not ready, or a newer one replaced it.")
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=(job.file.name or "export.zip").rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store, max-age=0"
    return cast("HttpResponse", response)  # streamed; the access wrapper only sets headers


urlpatterns = [
    path("", exchange_page, name="exchange"),
    path("import/", import_start, name="exchange_import"),
    path("export/", export_start, name="exchange_export"),
    path("jobs/<int:job_id>/", job_detail, name="exchange_job"),
    path("jobs/<int:job_id>/status/", job_status, name="exchange_job_status"),
    path("jobs/<int:job_id>/download/", job_download, name="exchange_download"),
]
