"""Where OCR uploads and page previews live: a private folder, never under MEDIA_ROOT.

MEDIA_ROOT is public: ``/media/`` serves it (and a front proxy may too) with a long public
cache lifetime. An uploaded file or a page preview is private to the job's owner, so both
are kept under ``MASTHEAD_OCR_FILES_ROOT`` instead, which has no URL at all; previews reach
their owner only through the access-checked preview view (docs/decisions/0406).
Web and worker processes share this folder like they share MEDIA_ROOT (DESIGN "Scaling
out"): on several machines it sits on the same shared filesystem.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages

from masthead.core.private_storage import PrivateFileStorage


class OcrFileStorage(PrivateFileStorage):
    """A file system storage rooted at ``MASTHEAD_OCR_FILES_ROOT``, with no URL."""

    root_setting = "MASTHEAD_OCR_FILES_ROOT"


def ocr_files() -> Storage:
    """The storage for OCR uploads and previews (``STORAGES["ocr"]``)."""
    return storages["ocr"]
