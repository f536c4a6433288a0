"""Does the response time of sign-up or subscribe tell whether an address is known?

Runs the site in this process on a fresh SQLite file database with the embedded job broker
(the single-machine default; ``--broker`` for Redis) and an aiosmtpd server on loopback.
For each flow it times pairs of POSTs, one for a known address and one for a new one,
interleaved so that load from other processes hits both sides alike, as
``tests/members/test_timing.py`` does for sign-in (here the order within a pair also
alternates), and reports each side's median and the
median of the paired differences. The target is RELIABILITY.md's A05 figure: a median gap
under 25 ms.

Flows: sign-up with and without a password (an address with an account vs a new one; the
password is optional, so the second shows what is left besides hashing), and newsletter
subscribe (an active subscriber, a pending one and an unsubscribed one, each vs a new
address). Writes the ``enumeration-timing`` section of BENCHMARKS.md unless ``--no-write``.

    .venv/bin/python bench/enumeration_timing.py [--tries 30] [--broker URL] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

PASSWORD = "correct horse battery staple"
GOAL_MS = 25.0


class _Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _setup(var: Path, port: int, broker: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
            "MASTHEAD_VAR_DIR": str(var),
            "MASTHEAD_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "MASTHEAD_LOG_LEVEL": "ERROR",
            "MASTHEAD_ALLOWED_HOSTS": "testserver",  # django.test.Client
            "DJANGO_SETTINGS_MODULE": "masthead.settings",
        }
    )
    if broker:
        os.environ["MASTHEAD_BROKER_URL"] = broker
    os.environ.pop("MASTHEAD_SECRET_KEY_FILE", None)
    (var / "static").mkdir()  # WhiteNoise warns when STATIC_ROOT is missing
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _post(path: str, data: dict[str, str]) -> float:
    """Seconds for one POST from a fresh client; limits are cleared outside the timing."""
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    client = Client()
    started = time.perf_counter()
    response = client.post(path, data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, (path, response.status_code)
    return elapsed


def _pair(
    known: tuple[str, dict[str, str]], new: tuple[str, dict[str, str]], *, known_first: bool
) -> tuple[float, float]:
    """(known, new) seconds; the order alternates so neither side is always second."""
    if known_first:
        known_seconds = _post(*known)
        return known_seconds, _post(*new)
    new_seconds = _post(*new)
    return _post(*known), new_seconds


def _pairs(
    tries: int,
    known: Callable[[int], tuple[str, dict[str, str]]],
    new: Callable[[int], tuple[str, dict[str, str]]],
) -> dict[str, float]:
    _post(*known(-1)), _post(*new(-1))  # warm-up: templates, first connections
    pairs = [_pair(known(n), new(n), known_first=n % 2 == 0) for n in range(tries)]
    gaps = [a - b for a, b in pairs]
    return {
        "known": statistics.median(a for a, _ in pairs) * 1000,
        "new": statistics.median(b for _, b in pairs) * 1000,
        "gap": statistics.median(gaps) * 1000,
        # Standard error of a median, for roughly normal noise: 1.2533 sd / sqrt(n).
        "se": 1.2533 * statistics.stdev(gaps) / len(gaps) ** 0.5 * 1000,
    }


def _member(email: str) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


def _subscriber(email: str, status: str) -> None:
    from django.utils import timezone

    from masthead.newsletter.models import Subscriber

    Subscriber.objects.create(email=email, status=status, confirmation_sent_at=timezone.now())


def _form(path: str, **fields: str) -> Callable[[int], tuple[str, dict[str, str]]]:
    """One POST per try; ``{n}`` in a field value becomes the try's number."""
    return lambda n: (path, {key: value.format(n=n) for key, value in fields.items()})


def run(tries: int) -> list[tuple[str, dict[str, float]]]:
    signup, subscribe = "/accounts/signup/", "/newsletter/subscribe/"
    _member("member@example.com")
    results = [
        (
            "sign-up with a password: address with an account vs new",
            _pairs(
                tries,
                _form(signup, email="member@example.com", password1=PASSWORD),
                _form(signup, email="new{n}@example.com", password1=PASSWORD),
            ),
        ),
        (
            "sign-up without a password: address with an account vs new",
            _pairs(
                tries,
                _form(signup, email="member@example.com"),
                _form(signup, email="nopw{n}@example.com"),
            ),
        ),
    ]
    for status in ("active", "pending", "unsubscribed"):
        _subscriber(f"{status}@example.com", status)
        known = _form(subscribe, email=f"{status}@example.com")
        new = _form(subscribe, email=f"{status}-new{{n}}@example.com")
        results.append(
            (f"subscribe: {status} subscriber vs new address", _pairs(tries, known, new))
        )
    return results


def _section(
    results: list[tuple[str, dict[str, float]]], command: str, broker: str, load: str
) -> str:
    from django import get_version

    lines = [
        "## Enumeration by timing: sign-up and subscribe",
        "",
        f"Command: `{command}`  ",
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, "
        f"{os.cpu_count()} cores shared with other work (load average {load} at the start); "
        f"Python {platform.python_version()}, Django {get_version()}, SQLite file database, "
        f"job broker {broker or 'embedded (SQLite file)'}, aiosmtpd on loopback, Argon2 hashing.  ",
        "Each row: pairs of POSTs from fresh clients, known and new address, interleaved, "
        "which goes first alternating; "
        f"medians in ms. Goal (RELIABILITY.md A05): |median paired gap| < {GOAL_MS:.0f} ms.",
        "",
        "| flow | known address | new address | median paired gap | standard error | goal met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in results:
        met = "yes" if abs(row["gap"]) < GOAL_MS else "no"
        cells = [
            f"{row['known']:.1f}",
            f"{row['new']:.1f}",
            f"{row['gap']:+.1f}",
            f"{row['se']:.1f}",
        ]
        lines.append(f"| {name} | {' | '.join(cells)} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=30)
    parser.add_argument("--broker", default="", help="e.g. redis://127.0.0.1:6379/13")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    load = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())

    from aiosmtpd.controller import Controller

    port = _free_port()
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            _setup(Path(tmp), port, args.broker)
            results = run(args.tries)
    finally:
        controller.stop()
    command = "python bench/enumeration_timing.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    section = _section(results, command.strip(), args.broker, load)
    print(section)
    if not args.no_write:
        report.write_section("enumeration-timing", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
