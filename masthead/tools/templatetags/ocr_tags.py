"""Template tags for the account-page sections (which only receive ``request`` and ``user``)
and for the upload widget, which the OCR page and the cards in articles both include."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet

from masthead.tools import languages, selectors
from masthead.tools.models import ApiKey, OcrJob

register = template.Library()


@register.simple_tag
def ocr_history(user: User) -> QuerySet[OcrJob]:
    return selectors.ocr_job_list_for_member(user=user)


@register.simple_tag
def ocr_api_keys(user: User) -> QuerySet[ApiKey]:
    return selectors.api_key_list_for_member(user=user)


@register.simple_tag
def ocr_retention_days() -> int:
    return int(settings.MASTHEAD_OCR_RETENTION_DAYS)


@register.simple_tag
def ocr_sync_max_bytes() -> int:
    """Uploads up to this size (single images) are read during the request (ADR 0405)."""
    return int(settings.MASTHEAD_OCR_SYNC_MAX_BYTES)


@register.simple_tag
def ocr_language_choices() -> list[tuple[str, str]]:
    return languages.language_choices()


@register.simple_tag
def ocr_batch_max_files() -> int:
    """Most files one batch may hold (the page reads them one after another)."""
    return int(settings.MASTHEAD_OCR_BATCH_MAX_FILES)
