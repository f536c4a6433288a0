"""OCR jobs, their per-page results, API keys.

The database is the source of truth for a job: Celery messages carry only the job id (and
a page number), and every task re-reads the row. A job's uploaded file lives in private
shared storage under a server-made name and is deleted after processing; the searchable
PDF made from it before that is kept with the result.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models

from masthead.tools.storage import ocr_files


class OcrJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


ACTIVE_STATUSES = (OcrJobStatus.QUEUED, OcrJobStatus.RUNNING)


class ApiKey(models.Model):
    """A member's key for the JSON API; only its SHA-256 is stored."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocr_api_keys"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    hashed_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class OcrJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ocr_jobs",
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(
        max_length=16, choices=OcrJobStatus.choices, default=OcrJobStatus.QUEUED
    )
    code = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    options: models.JSONField[dict[str, Any]] = models.JSONField(default=dict)
    filename = models.CharField(max_length=120, blank=True)  # sanitised, for display only
    kind = models.CharField(max_length=16, blank=True)  # sniffed format
    size = models.PositiveBigIntegerField(default=0)
    source = models.FileField(
        upload_to="ocr/uploads/", storage=ocr_files, blank=True, max_length=200
    )
    # The searchable PDF (page images under the text), built while the source still exists
    # and kept as long as the result (docs/decisions/0409).
    searchable_pdf = models.FileField(
        upload_to="ocr/pdf/", storage=ocr_files, blank=True, max_length=200
    )
    # SHA-256 of the capability token given to a caller without a session or key (0411).
    capability = models.CharField(max_length=64, null=True, blank=True, unique=True)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    result: models.JSONField[dict[str, Any] | None] = models.JSONField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    share_token = models.CharField(max_length=43, null=True, blank=True, unique=True)
    share_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self) -> str:
        return f"OCR job {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (OcrJobStatus.SUCCEEDED, OcrJobStatus.FAILED)


class OcrPageResult(models.Model):
    """One page of a fanned-out job; the unique pair makes a re-run page a no-op."""

    job = models.ForeignKey(OcrJob, on_delete=models.CASCADE, related_name="page_results")
    page_no = models.PositiveIntegerField()
    result: models.JSONField[dict[str, Any]] = models.JSONField()
    preview = models.FileField(
        upload_to="ocr/previews/", storage=ocr_files, blank=True, max_length=200
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page_no"]
        constraints = [
            models.UniqueConstraint(fields=["job", "page_no"], name="ocr_page_once_per_job")
        ]

    def __str__(self) -> str:
        return f"page {self.page_no} of {self.job_id}"
