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

# Redis database numbers by role. Under pytest-xdist each worker takes its own block of
# five (gw0: 11-15, gw1: 6-10), so one worker flushing its broker or cache never touches
# another's; a run without xdist uses the first block.
REDIS_ROLES = {
    "test": 15,
    "newsletter_broker": 14,
    "cache": 13,
    "stack_cache": 12,
    "stack_broker": 11,
}


def xdist_worker_index() -> int:
    """0 for the first pytest-xdist worker (or no xdist at all), 1 for the second, ..."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def redis_url(role: str) -> str:
    """The test Redis URL of ``role`` for this worker (``MASTHEAD_TEST_REDIS_URL`` moves
    the ``test`` role; the others keep their numbers on the same server)."""
    configured = os.environ.get("MASTHEAD_TEST_REDIS_URL")
    if configured and role == "test":
        return configured
    base = (configured or "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
    return f"{base}/{REDIS_ROLES[role] - 5 * xdist_worker_index()}"


REDIS_URL = redis_url("test")


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
