"""Exporters: one module per format, each a pure ``render(doc)``; one registry.

The CLI's ``--format`` choices, the API's format enum and the download buttons all read
``FORMATS``. The PDF exporter can also take the original file (``source``) to put the page
images under the invisible text; without it, pages are blank but still searchable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from masthead.ocr.document import Document
from masthead.ocr.export import hocr, json, markdown, pdf, sheets, text, word

__all__ = ["FORMATS", "Exporter", "render"]


@dataclass(frozen=True, slots=True)
class Exporter:
    name: str
    media_type: str
    extension: str
    render: Callable[..., str | bytes]
    binary: bool = False
    uses_source: bool = False


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMATS: Mapping[str, Exporter] = MappingProxyType(
    {
        e.name: e
        for e in (
            Exporter("text", "text/plain; charset=utf-8", ".txt", text.render),
            Exporter("markdown", "text/markdown; charset=utf-8", ".md", markdown.render),
            Exporter("json", "application/json", ".json", json.render),
            Exporter("hocr", "application/xhtml+xml", ".hocr", hocr.render),
            Exporter("pdf", "application/pdf", ".pdf", pdf.render, binary=True, uses_source=True),
            Exporter("docx", DOCX, ".docx", word.render, binary=True),
            Exporter("xlsx", XLSX, ".xlsx", sheets.render_xlsx, binary=True),
            Exporter("csv", "text/csv; charset=utf-8", ".csv", sheets.render_csv),
        )
    }
)


def render(
    doc: Document, fmt: str, *, source: bytes | Path | None = None, **kw: Any
) -> str | bytes:
    """``doc`` in format ``fmt``; ``source`` (the original file) is used by "pdf" only.

    Raises:
        KeyError: ``fmt`` is not in ``FORMATS``.
    """
    exporter = FORMATS[fmt]
    if exporter.uses_source:
        return exporter.render(doc, source=source, **kw)
    return exporter.render(doc)
