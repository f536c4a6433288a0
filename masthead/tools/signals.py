"""Files that live as long as their job row, however the row goes (a delete, the purge,
or a member's account deletion cascading to their jobs)."""

from __future__ import annotations

from typing import Any

from masthead.tools.models import OcrJob
from masthead.tools.storage import ocr_files


def searchable_pdf_delete(sender: type[OcrJob], instance: OcrJob, **_: Any) -> None:
    """Delete the job's searchable PDF with its row."""
    if instance.searchable_pdf:
        ocr_files().delete(instance.searchable_pdf.name or "")
