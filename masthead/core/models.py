"""Shared model bases, and the publication's own settings (one row)."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated times; every app's rows carry them."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def publication_file_path(instance: Publication, filename: str) -> str:
    """Server-chosen names: an uploaded name never reaches the file system."""
    import uuid

    return f"publication/{uuid.uuid4().hex}.png"


class Publication(TimeStampedModel):
    """The publication's own settings, one row (pk 1), edited in the newsroom.

    Read through ``masthead.core.publication.current()`` (cached, with a version that
    every save moves), never directly: templates get it from the ``site`` context
    processor. Environment variables only seed the first values (``SITE_NAME``, ...).
    """

    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    logo = models.ImageField(upload_to=publication_file_path, blank=True)
    icon = models.ImageField(upload_to=publication_file_path, blank=True)
    social_image = models.ImageField(upload_to=publication_file_path, blank=True)
    accent_color = models.CharField(max_length=7, default="#3a2fd1")
    navigation = models.JSONField(default=list, blank=True)
    footer_links = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="publication_one_row")]

    def __str__(self) -> str:
        return self.name
