"""Which outside services and programs the test groups need, and whether they are here.

In CI (``CI`` set) a missing service fails its tests; on a user's machine they are skipped
and ``make test`` names the groups it could not run and why.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("MASTHEAD_CHROMIUM", "/usr/bin/chromium")
POSTGRES_URL = os.environ.get(
    "MASTHEAD_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/masthead"
)
REDIS_URL = os.environ.get("MASTHEAD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@functools.cache
def missing(group: str) -> str | None:
    """Why ``group`` cannot run here, or None when it can."""
    if group == "browser":
        if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        return None
    if group in ("postgres", "redis"):
        url = urlsplit(POSTGRES_URL if group == "postgres" else REDIS_URL)
        host, port = (
            url.hostname or "127.0.0.1",
            url.port or (5432 if group == "postgres" else 6379),
        )
        name = "PostgreSQL" if group == "postgres" else "Redis"
        return None if _port_open(host, port) else f"no {name} server on {host}:{port}"
    if group == "tesseract":
        return (
            None
            if shutil.which("tesseract")
            else "tesseract not installed (apt-get install tesseract-ocr)"
        )
    return None
