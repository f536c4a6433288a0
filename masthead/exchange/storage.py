"""Where the newsroom's import uploads and full exports live: a private folder, no URL.

An export holds every subscriber's address and an upload may hold another platform's
member list, so neither may sit under MEDIA_ROOT, which ``/media/`` serves to anyone.
Files reach an admin only through the newsroom's access-checked download view. Web and
worker processes share this folder as they share MEDIA_ROOT (DESIGN "Scaling out").
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class ExchangeFileStorage(FileSystemStorage):
    """A file system storage rooted at ``MASTHEAD_EXCHANGE_FILES_ROOT``, with no URL."""

    @property
    def base_location(self) -> str:
        # Read at each use, so a changed setting (tests, a management shell) takes effect.
        return str(settings.MASTHEAD_EXCHANGE_FILES_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).absolute())

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None  # url() then refuses: these files are never linked to directly


def exchange_files() -> Storage:
    """The storage for import uploads and exports (``STORAGES["exchange"]``)."""
    return storages["exchange"]
