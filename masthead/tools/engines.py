"""Which engine object the site's jobs use.

Normally none: the library builds the engine that ``OcrOptions.engine`` names. The
``MASTHEAD_OCR_ENGINE_FACTORY`` setting may name a callable (``"package.module.factory"``)
that returns an engine instead; demos and the test suite use it to plug in a scripted
engine without patching anything. It is built once per process.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.module_loading import import_string

from masthead import ocr
from masthead.ocr import engines as ocr_engines


@functools.cache
def _build(path: str) -> ocr.Engine:
    engine: ocr.Engine = import_string(path)()
    return engine


def release_when_idle() -> None:
    """Let this process give its engine back after ``MASTHEAD_OCR_RELEASE_SECONDS`` without
    a page (ADR 0041): started by the first page read, so only processes that read have it."""
    ocr_engines.release_when_idle(float(settings.MASTHEAD_OCR_RELEASE_SECONDS))


def engine_for_site() -> ocr.Engine | None:
    path = settings.MASTHEAD_OCR_ENGINE_FACTORY
    return _build(path) if path else None
