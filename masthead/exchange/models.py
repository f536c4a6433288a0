"""Rows for moving in and out: Content API keys, old addresses and what each import made.

``ImportedItem`` remembers which row an import created for a record of another platform
(source + kind + the record's id there), so a second run of the same import updates that
row instead of doubling it, and never overwrites a row the site made itself.
"""

from __future__ import annotations

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
