"""The sites framework's one Site, kept equal to ``MASTHEAD_SITE_URL`` and the site name.

Django's admin "View on site" and anything else that asks ``Site.objects.get_current()``
builds addresses from this row; left alone it says ``example.com``. It is written after
every ``migrate`` (idempotent), so a changed ``MASTHEAD_SITE_URL`` applies on the next
deploy.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings


def site_domain() -> str:
    """Host (and port, if any) of ``settings.SITE_URL``."""
    return urlsplit(settings.SITE_URL).netloc or "localhost"


def site_sync(**kwargs: Any) -> None:
    app_config = kwargs.get("app_config")
    if app_config is not None and app_config.label != "core":
        return  # once per migrate, after the sites app (listed above core) made its row
    from django.contrib.sites.models import Site

    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": site_domain(), "name": settings.SITE_NAME[:50]},
    )
    Site.objects.clear_cache()
