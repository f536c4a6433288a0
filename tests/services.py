"""Which outside services and programs the test groups need, and whether they are here.

In CI (``CI`` set) a missing service fails its tests; on a user's machine they are skipped
and ``make test`` names the groups it could not run and why.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket

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
    if group == "postgres":
        return None if _port_open("127.0.0.1", 5432) else "no PostgreSQL server on 127.0.0.1:5432"
    if group == "redis":
        return None if _port_open("127.0.0.1", 6379) else "no Redis server on 127.0.0.1:6379"
    if group == "tesseract":
        return (
            None
            if shutil.which("tesseract")
            else "tesseract not installed (apt-get install tesseract-ocr)"
        )
    return None
