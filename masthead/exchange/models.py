"""Rows for moving in and out: Content API keys, old addresses and what each import made.

``ImportedItem`` remembers which row an import created for a record of another platform
(source + kind + the record's id there), so a second run of the same import updates that
row instead of doubling it, and never overwrites a row the site made itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models

from masthead.core.models import TimeStampedModel


class ContentKey(TimeStampedModel):
    """A read-only key for the Content API (26 hex characters, as Ghost's clients expect)."""

    name = models.CharField(max_length=120)
    key = models.CharField(max_length=26, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class PathRedirect(TimeStampedModel):
    """An address of the old site (path, and query for ``/?p=123``) that now lives elsewhere."""

    old_path = models.CharField(max_length=500, unique=True)
    target = models.CharField(max_length=500)
    source = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.old_path} -> {self.target}"


class ImportedItem(TimeStampedModel):
    """One record of another platform and the row an import made for it."""

    class Kind(models.TextChoices):
        POST = "post", "Post"
        TAG = "tag", "Tag"
        AUTHOR = "author", "Author"

    source = models.CharField(max_length=20)  # ghost, wordpress, substack, masthead
    kind = models.CharField(max_length=10, choices=Kind)
    external_id = models.CharField(max_length=200)
    object_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="exchange_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.kind}:{self.external_id} -> {self.object_id}"


class Webhook(TimeStampedModel):
    """An address told about posts and members as they change, in Ghost's webhook shape.

    The secret signs every body (``X-Ghost-Signature``); it is stored as typed because
    signing needs it, and shown to the admin once, when the webhook is made.
    """

    class Event(models.TextChoices):
        POST_PUBLISHED = "post.published", "Post published"
        POST_PUBLISHED_EDITED = "post.published.edited", "Published post updated"
        POST_UNPUBLISHED = "post.unpublished", "Post unpublished"
        POST_DELETED = "post.deleted", "Post deleted"
        MEMBER_ADDED = "member.added", "Member added"

    name = models.CharField(max_length=120)
    target_url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)  # a list of Event values
    secret = models.CharField(max_length=128)
    active = models.BooleanField(default=True)
    last_triggered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(TimeStampedModel):
    """One event for one webhook: the exact body signed, and how its attempts went.

    pending → sending → delivered | failed; a 'sending' row whose lease ran out (the worker
    died) goes back to pending, so an event may arrive twice but is never lost. The
    ``X-Masthead-Delivery`` header carries this row's id for receivers that deduplicate.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # Set for events the sweep finds by itself (a scheduled post going live), so that two
    # sweeps never announce the same moment twice; empty for events a write sent.
    once_key = models.CharField(max_length=80, blank=True)
    payload = models.TextField()  # the JSON body, byte for byte what is signed and sent
    payload_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "once_key"],
                condition=~models.Q(once_key=""),
                name="exchange_webhook_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.webhook_id} ({self.status})"


def _exchange_storage() -> Storage:
    return storages["exchange"]


class ImportJob(TimeStampedModel):
    """One import (or full export) run from the newsroom as a background job.

    The upload sits in the private exchange storage until the job ends, then is deleted,
    whatever the outcome. ``report`` is the import's final ``ImportReport`` as JSON (or the
    export's counts). Progress while running is kept beside the upload, not in this row:
    the import's one transaction would hide the row's updates until it ends (ADR 0605).
    """

    class Kind(models.TextChoices):
        GHOST = "ghost", "Ghost export (JSON or zip)"
        WORDPRESS = "wordpress", "WordPress export (WXR XML or zip)"
        SUBSTACK = "substack", "Substack export (zip)"
        SUBSCRIBERS = "subscribers", "Subscriber list (CSV)"
        EXPORT = "export", "Full export of this site"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    file = models.FileField(storage=_exchange_storage, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # as uploaded, for display
    file_size = models.BigIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
