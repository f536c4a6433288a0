"""Where the newsroom's import uploads and full exports live: a private folder, no URL.

An export holds every subscriber's address and an upload may hold another platform's
member list, so neither may sit under MEDIA_ROOT, which ``/media/`` serves to anyone.
Files reach an admin only through the newsroom's access-checked download view. Web and
worker processes share this folder as they share MEDIA_ROOT (DESIGN "Scaling out").
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages

from masthead.core.private_storage import PrivateFileStorage


class ExchangeFileStorage(PrivateFileStorage):
    """A file system storage rooted at ``MASTHEAD_EXCHANGE_FILES_ROOT``, with no URL."""

    root_setting = "MASTHEAD_EXCHANGE_FILES_ROOT"


def exchange_files() -> Storage:
    """The storage for import uploads and exports (``STORAGES["exchange"]``)."""
    return storages["exchange"]
