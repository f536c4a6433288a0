"""Comments test defaults: a fresh shared cache (limits and the list cache live there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def _comment_settings(db: Any, settings: Any, tmp_path: Path) -> None:
    from masthead.core import pagecache

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0
    settings.SITE_URL = "https://masthead.test"
    cache.clear()
    pagecache.clear_local()
