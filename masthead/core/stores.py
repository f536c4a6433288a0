"""What a shared store (the database, Redis) raises when it cannot be reached.

Redis's exceptions are included only once its client library has been imported: nothing
can raise them before that, and importing it costs each web process about 20 MB when the
site runs on its embedded defaults (database cache, no Redis at all).
"""

from __future__ import annotations

import sys

from django.db import DatabaseError


def store_errors() -> tuple[type[Exception], ...]:
    """The exception types to catch around a cache or database call that may fail."""
    redis_exceptions = sys.modules.get("redis.exceptions")
    if redis_exceptions is None:
        return (DatabaseError, OSError)
    return (redis_exceptions.RedisError, DatabaseError, OSError)
