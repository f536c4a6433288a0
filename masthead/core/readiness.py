"""Can this node do its work? One bounded check per shared store (``/readyz``).

Each check answers within about a second, whatever the store does (connect and read
timeouts), and reports only up or down: the reason goes to the log, never to the caller.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing

from django.core.cache import cache
from django.db import connection

log = logging.getLogger("masthead.core.readiness")

PROBE_KEY = "readiness:probe"
BROKER_TIMEOUT_SECONDS = 1
EMBEDDED_BROKER_PREFIX = "sqla+sqlite:///"


def database_ok() -> bool:
    return _probe("database", _database)


def check_all() -> dict[str, bool]:
    return {
        "database": database_ok(),
        "cache": _probe("cache", _cache),
        "broker": _probe("broker", _broker),
    }


def _probe(name: str, check: Callable[[], None]) -> bool:
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure at all means "down"
        log.error("readiness_down store=%s error=%s", name, exc)
        return False
    return True


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set(PROBE_KEY, 1, timeout=60)
    if cache.get(PROBE_KEY) != 1:
        raise ConnectionError("the cache did not keep a value")


def _broker() -> None:
    from masthead.celery import app  # configured from settings once, like the publishers

    url = str(app.conf.broker_url)
    if url.startswith(EMBEDDED_BROKER_PREFIX):
        # The embedded broker is a SQLite file: open it with the standard library, so web
        # processes still never load SQLAlchemy (docs/decisions/0008).
        path = url.removeprefix(EMBEDDED_BROKER_PREFIX)
        with closing(sqlite3.connect(path, timeout=BROKER_TIMEOUT_SECONDS)) as db:
            db.execute("SELECT 1")
        return
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
