"""``make test``: the whole suite on SQLite, then again on PostgreSQL + Redis.

The second pass is the production path: PostgreSQL for the database and Redis for the
cache (rate limits, page cache). It skips the browser and slow tests (they already ran and
do not depend on the engines) and tests/ocr: the OCR library uses neither a database nor a
cache (an import-linter contract keeps Django out of it), so a second run proves nothing.
It also skips tests/newsroom and tests/tools (staff pages, role checks and the OCR tool,
run in the first pass) to keep CI within its 30 minutes. Each pass runs in pytest-xdist
workers (``tests/xdist_env.py`` gives each its own ``var/`` folder and Redis databases). In CI a missing PostgreSQL or Redis server fails the run;
elsewhere it is reported and the pass runs with what there is.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests import services


def _workers() -> int:
    """Worker processes for each pass: ``MASTHEAD_TEST_WORKERS``, else one per core, at most
    three (each takes a block of five Redis databases of the server's sixteen)."""
    configured = os.environ.get("MASTHEAD_TEST_WORKERS")
    return int(configured) if configured else max(1, min(3, os.cpu_count() or 1))


def _pytest(extra: list[str], env: dict[str, str]) -> int:
    # Most tests wait on servers, browsers and subprocesses rather than compute, so two
    # workers on two cores halve the run (a third on two cores was no faster, and timing
    # tests failed beside it); a file's tests stay in one worker (loadfile) so
    # module-scoped servers start once. Files go out in collection order, which puts the
    # minutes-long fault tests first (tests/conftest.py), not largest-count first.
    parallel = ["-n", str(_workers()), "--dist", "loadfile", "--no-loadscope-reorder"]
    command = [sys.executable, "-m", "pytest", *parallel, *extra, *sys.argv[1:]]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, env=env)


def main() -> int:
    base = dict(os.environ)
    base.pop("DATABASE_URL", None)
    code = _pytest([], base)
    if code != 0:
        return code
    reason = services.missing("postgres")
    if reason is not None:
        print(f"PostgreSQL group not run: {reason}", flush=True)
        return 1 if services.in_ci() else 0
    env = {**base, "DATABASE_URL": services.POSTGRES_URL}
    redis_missing = services.missing("redis")
    if redis_missing is None:
        env["MASTHEAD_CACHE_URL"] = services.redis_url("cache")
    elif services.in_ci():
        print(f"PostgreSQL + Redis pass not run: {redis_missing}", flush=True)
        return 1
    else:
        print(f"second pass uses the database cache: {redis_missing}", flush=True)
    second = [
        "-m",
        "not browser and not slow",
        "-p",
        "no:cacheprovider",
        "--ignore=tests/ocr",
        "--ignore=tests/newsroom",
        "--ignore=tests/tools",
    ]
    return _pytest(second, env)


if __name__ == "__main__":
    sys.exit(main())
