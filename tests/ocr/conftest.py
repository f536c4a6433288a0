"""Fixtures shared by the OCR library's tests."""

from __future__ import annotations

import pytest

from masthead.ocr import engines, glyphs, orientation


@pytest.fixture(scope="module")
def reader() -> glyphs.CropReader:
    """RapidOCR's own line recogniser: the steps that read crops are tested with the real one."""
    probe = orientation.line_probe(engines.get("rapid"))
    assert probe is not None
    return probe
