"""``make test``: the whole suite on SQLite, then again on PostgreSQL.

The PostgreSQL pass skips the browser tests (they already ran and do not depend on the
database engine). In CI a missing PostgreSQL server fails the run; elsewhere it is
reported and skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests import services


def _pytest(extra: list[str], env: dict[str, str]) -> int:
    command = [sys.executable, "-m", "pytest", *extra, *sys.argv[1:]]
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
    return _pytest(["-m", "not browser and not slow", "-p", "no:cacheprovider"], env)


if __name__ == "__main__":
    sys.exit(main())
