"""Fixtures for the tool tests: the scripted engine, a private MEDIA_ROOT and temp dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from tests.tools import images


@pytest.fixture(autouse=True)
def tool_settings(settings: Any, tmp_path: Path, celery_eager: None) -> Any:
    """Scripted engine, files under tmp_path, tasks run in-process, a clean rate limiter."""
    settings.MASTHEAD_OCR_ENGINE = "fake"
    settings.MASTHEAD_OCR_ENGINE_FACTORY = "tests.tools.engines.scripted"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "media").mkdir()
    (tmp_path / "upload-tmp").mkdir()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    }
    cache.clear()
    yield settings
    cache.clear()


def file_count(settings: Any) -> int:
    """Files under MEDIA_ROOT, the OCR files and FILE_UPLOAD_TEMP_DIR (U-0: unchanged after
    a rejection)."""
    roots = [
        Path(settings.MEDIA_ROOT),
        Path(settings.MASTHEAD_OCR_FILES_ROOT),
        Path(settings.FILE_UPLOAD_TEMP_DIR),
    ]
    return sum(1 for root in roots for path in root.rglob("*") if path.is_file())


@pytest.fixture
def png_bytes() -> bytes:
    return images.png()


@pytest.fixture
def pdf_bytes() -> bytes:
    return images.pdf(pages=3)
