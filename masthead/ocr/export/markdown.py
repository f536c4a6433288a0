"""Placeholder exporter (being written)."""

from __future__ import annotations

from typing import Any

from masthead.ocr.document import Document


def render(doc: Document, **kw: Any) -> str:
    return doc.text
