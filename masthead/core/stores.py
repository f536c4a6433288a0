"""What a shared store (the database, Redis) raises when it cannot be reached.

Redis's exceptions are included only once its client library has been imported: nothing
can raise them before that, and importing it costs each web process about 20 MB when the
site runs on its embedded defaults (database cache, no Redis at all).
"""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError


def store_errors() -> tuple[type[Exception], ...]:
    """The exception types to catch around a cache or database call that may fail."""
    redis_exceptions = sys.modules.get("redis.exceptions")
    if redis_exceptions is None:
        return (DatabaseError, OSError)
    return (redis_exceptions.RedisError, DatabaseError, OSError)


def unreachable_errors() -> tuple[type[Exception], ...]:
    """The narrower set meaning "the store is out of reach", not "the query was wrong".

    A database ``IntegrityError`` or ``ProgrammingError`` is a bug and stays a 500; a
    refused connection, a timeout, a locked database or a Redis that cannot answer is an
    outage and may become a 503.
    """
    base: tuple[type[Exception], ...] = (
        OperationalError,
        InterfaceError,
        ConnectionError,
        TimeoutError,
    )
    redis_exceptions = sys.modules.get("redis.exceptions")
    if redis_exceptions is None:
        return base
    # Any Redis error: Redis holds only the cache and counters, so a refused connection,
    # a timeout or a garbled reply (something else on the port) all mean "cannot count".
    return (*base, redis_exceptions.RedisError)
