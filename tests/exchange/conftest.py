"""Exchange test defaults: media in a temporary folder, the site's address fixed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _exchange_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0
    settings.SITE_URL = "https://masthead.test"
