"""A file system storage for private files: rooted at a setting, with no URL at all.

Files kept here (OCR uploads and previews, import uploads and full exports) reach their
owner only through an access-checked view, never through ``/media/``. Subclasses name the
setting that holds their folder.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """Rooted at ``settings.<root_setting>``, read at each use, and never linked to."""

    root_setting = ""

    @property
    def base_location(self) -> str:
        # Read at each use, so a changed setting (tests, a management shell) takes effect.
        return str(getattr(settings, self.root_setting))

    @property
    def location(self) -> str:
        return str(Path(self.base_location).absolute())

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None  # url() then refuses: these files are never linked to directly
