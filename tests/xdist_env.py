"""Give each pytest-xdist worker its own files and cache database (loaded with ``-p``).

``make test`` runs the suite in two worker processes (``tests/run.py``). Settings are read
from the environment when Django starts, which happens before any conftest runs, so this
plugin module sets the per-worker variables at import: its own ``var/`` folder (media,
static files, the embedded broker) and, when the run caches in Redis, its own database
number (``services.redis_url``), so that one worker clearing its cache never empties the
other's rate-limit counters. Without xdist it changes nothing.
"""

from __future__ import annotations

import os

from tests import services

_WORKER = os.environ.get("PYTEST_XDIST_WORKER")

if _WORKER:
    # The controller's environment (pytest-env's default included) reaches the workers.
    os.environ["MASTHEAD_VAR_DIR"] = f"{os.environ.get('MASTHEAD_VAR_DIR', 'var/test')}-{_WORKER}"
    if os.environ.get("MASTHEAD_CACHE_URL", "").startswith("redis://"):
        os.environ["MASTHEAD_CACHE_URL"] = services.redis_url("cache")
