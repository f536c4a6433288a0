"""Shared model bases."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created/updated times; every app's rows carry them."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
