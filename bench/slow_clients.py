# ruff: noqa: E501
"""Slow clients and an upload burst beside normal traffic: the post page's latency per web server.

Starts a real stack in a temporary directory (tests/tools/stack.py: the web server, two
Celery workers, a fresh database with the demo content) and, for each web server named in
``--servers``, measures the post page as a few readers fetch it (a new connection per
request, 5 s timeout) through five phases of ``--seconds`` each:

1. quiet: the readers alone;
2. slow headers: plus ``--slow`` slowloris clients, each sending its request headers two
   bytes every half second and never finishing them (reconnecting when the server closes);
3. slow bodies: plus ``--slow`` clients that send the whole headers of a 100 KB upload to
   the OCR API and then its body two bytes every half second;
4. uploads: plus ``--uploads`` threads each posting a small one-page image (A4 at 150 dpi,
   47 KB, under ``MASTHEAD_OCR_SYNC_MAX_BYTES``, so it may be read inside the request) to
   the OCR API, one after another, for the whole phase;
5. slow headers + uploads: both at once.

After the quiet phase, wrk measures plain throughput of the post page (no slow clients,
no uploads yet) for each server at 2 processes each. Only loopback addresses are used; every loop ends with its
phase, and a run takes about ``len(servers) * (5 * seconds + wrk_seconds + 30)`` seconds.

``--database sqlite`` (default) is ``make run``: a SQLite file, the SQLite-file broker and
the database cache. ``--database postgres`` is production's: PostgreSQL plus Redis as
broker and cache (``MASTHEAD_TEST_POSTGRES_URL`` / ``MASTHEAD_TEST_REDIS_URL``).

    .venv/bin/python bench/slow_clients.py [--servers gthread,procfile] [--database sqlite]
        [--seconds 15] [--slow 10] [--uploads 10] [--engine auto] [--no-write]

Writes the ``slow-clients-<database>`` section of BENCHMARKS.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from tests import services  # noqa: E402
from tests.tools import images, stack  # noqa: E402
from tests.tools.stack import BIN, SlowClients, post_file  # noqa: E402

POST = "/reading-receipts-with-a-machine/"
READERS = 4
READER_PAUSE = 0.1
TIMEOUT = 5.0
SLOW_INTERVAL = 0.5

SERVERS: dict[str, tuple[str, Callable[[int], list[str]]]] = {
    "gthread": (
        "gunicorn 2 workers x 4 threads, gthread (the old Procfile)",
        lambda port: [str(BIN / "gunicorn"), "masthead.wsgi", "--bind", f"127.0.0.1:{port}",
                      "--workers", "2", "--threads", "4"],
    ),
    "procfile": (
        "the Procfile's `web` line with `WEB_WORKERS=2` (as the earlier runs; `make run` starts 1): granian, ASGI, Django's ASGI handler behind `BodyLimit`",
        lambda port: ["bash", "-c", f"HOST=127.0.0.1 PORT={port} WEB_WORKERS=2 PATH={BIN}:$PATH; exec {stack.procfile_command('web')}"],
    ),
    "granian-wsgi": (
        "granian 2 workers x 4 blocking threads, WSGI",
        lambda port: [str(BIN / "granian"), "masthead.wsgi:application", "--interface", "wsgi",
                      "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                      "--blocking-threads", "4", "--respawn-failed-workers", "--log-level", "warning"],
    ),
    "granian-asgi": (
        "granian 2 workers, ASGI, Django's ASGI handler",
        lambda port: [str(BIN / "granian"), "masthead.asgi:application", "--interface", "asginl",
                      "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                      "--log-level", "warning"],
    ),
    "gunicorn-asgi": (
        "gunicorn 2 workers, its asyncio `asgi` worker, Django's ASGI handler",
        lambda port: [str(BIN / "gunicorn"), "masthead.asgi:application", "-k", "asgi",
                      "--bind", f"127.0.0.1:{port}", "--workers", "2"],
    ),
    "uvicorn": (
        "uvicorn 2 workers (httptools, uvloop), Django's ASGI handler",
        lambda port: [str(BIN / "uvicorn"), "masthead.asgi:application", "--host", "127.0.0.1",
                      "--port", str(port), "--workers", "2", "--lifespan", "off", "--no-access-log"],
    ),
    "waitress": (
        "waitress 1 process x 8 threads (it has no worker processes)",
        lambda port: [str(BIN / "waitress-serve"), "--listen", f"127.0.0.1:{port}",
                      "--threads", "8", "masthead.wsgi:application"],
    ),
    "gevent": (
        "gunicorn 2 workers, gevent (monkey-patched, 100 connections each)",
        lambda port: [str(BIN / "gunicorn"), "masthead.wsgi", "-k", "gevent", "--bind",
                      f"127.0.0.1:{port}", "--workers", "2", "--worker-connections", "100"],
    ),
}  # fmt: skip


@dataclass
class Phase:
    """What the readers saw during one phase."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    uploads: Counter[str] = field(default_factory=Counter)
    slow_connections: int = 0

    def p(self, q: float) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


@dataclass
class ServerRun:
    server: str
    phases: list[Phase]
    rps: float = 0.0
    wrk_p99_ms: float = 0.0
    wrk_errors: int = 0
    cpu_ms: float = 0.0


def _reader(url: str, deadline: float, phase: Phase) -> None:
    """GET the post page on a new connection, pause, repeat until the deadline."""
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            phase.errors[f"HTTP {error.code}"] += 1
        except (OSError, ValueError) as error:  # timeouts, resets, refused connections
            phase.errors[type(error).__name__] += 1
        phase.times_ms.append((time.perf_counter() - started) * 1000)
        time.sleep(READER_PAUSE)


def _uploader(url: str, deadline: float, phase: Phase, data: bytes) -> None:
    while time.monotonic() < deadline:
        try:
            status, _, _ = post_file(url, "page.png", data, "image/png")
            phase.uploads[str(status)] += 1
        except (OSError, ValueError) as error:
            phase.uploads[type(error).__name__] += 1


def _phase(
    s: stack.Stack, name: str, seconds: float, slow: int, uploads: int, body: bool = False
) -> Phase:
    phase = Phase(name)
    data = images.png(1240, 1754)
    with contextlib.ExitStack() as running:
        if slow:  # they connect and start trickling first
            clients = running.enter_context(SlowClients(s.port, slow, SLOW_INTERVAL, body=body))
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_uploader, args=(s.url, deadline, phase, data))
            for _ in range(uploads)
        ]
        threads += [
            threading.Thread(target=_reader, args=(s.url + POST, deadline, phase))
            for _ in range(READERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if slow:
            phase.slow_connections = clients.connections
    return phase


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the web server and its worker processes."""
    import psutil

    root = psutil.Process(pid)
    return float(sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)]))


def _wrk(url: str, seconds: int) -> tuple[float, float, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in sock_errors.groups()) if sock_errors else 0
    return rps, p99_ms, errors


def _serve(s: stack.Stack, server: str, args: argparse.Namespace) -> ServerRun:
    s.port = stack.free_port()
    s.start("web", SERVERS[server][1](s.port))
    stack.wait_for(lambda: stack._http_ok(f"{s.url}/healthz"), 60, f"{server} did not start")
    try:
        for _ in range(20):  # warm up: every process's first renders, the page's queries
            urllib.request.urlopen(s.url + POST, timeout=30).read()
        post_file(s.url, "warm.png", images.png(1240, 1754), "image/png")  # loads the engine
        run = ServerRun(server, [_phase(s, "quiet", args.seconds, 0, 0)])
        if args.wrk_seconds:  # before any upload: in-request reads outlive their phase
            _wrk(s.url + POST, 2)  # warm up
            cpu = _cpu_seconds(s.processes["web"].pid)
            run.rps, run.wrk_p99_ms, run.wrk_errors = _wrk(s.url + POST, args.wrk_seconds)
            cpu = _cpu_seconds(s.processes["web"].pid) - cpu
            run.cpu_ms = cpu * 1000 / max(run.rps * args.wrk_seconds, 1)
        run.phases += [
            _phase(s, "slow headers", args.seconds, args.slow, 0),
            _phase(s, "slow bodies", args.seconds, args.slow, 0, body=True),
            _phase(s, "uploads", args.seconds, 0, args.uploads),
            _phase(s, "slow headers + uploads", args.seconds, args.slow, args.uploads),
        ]
        return run
    finally:
        web = s.processes.pop("web")
        os.killpg(web.pid, 15)
        try:
            web.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(web.pid, 9)
            web.wait(10)


def _fresh_postgres() -> str:
    import psycopg

    server, name = services.POSTGRES_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}_bench_slow WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}_bench_slow")
    return f"{server}/{name}_bench_slow"


def _build(base: Path, args: argparse.Namespace) -> stack.Stack:
    overrides = {
        "MASTHEAD_OCR_ENGINE": args.engine,
        "MASTHEAD_OCR_SYNC_MAX_BYTES": str(512 * 1024),  # the default: small images in-request
        "MASTHEAD_PAGE_CACHE_SECONDS": str(args.page_cache),
        "MASTHEAD_LOG_LEVEL": "WARNING",
    }
    if args.database == "postgres":
        overrides["DATABASE_URL"] = _fresh_postgres()
    else:
        overrides["MASTHEAD_BROKER_URL"] = f"sqla+sqlite:///{base / 'broker.sqlite3'}"
        overrides["MASTHEAD_CACHE_URL"] = ""
    s = stack.build(base, **overrides)
    s.manage("createcachetable")
    s.manage("load_demo_content", "--if-empty")
    return s


def _section(runs: list[ServerRun], args: argparse.Namespace) -> str:
    import granian

    old, new = runs[0], runs[-1]
    load = os.getloadavg()
    lines = [
        f"## Slow clients and uploads beside normal traffic ({_TITLES[args.database]})",
        "",
        f"Command: `.venv/bin/python bench/slow_clients.py --servers {args.servers} --database {args.database} "
        f"--seconds {args.seconds} --slow {args.slow} --uploads {args.uploads} --engine {args.engine} "
        f"--worker-nice {args.worker_nice}`  ",
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {platform.machine()}, {os.cpu_count()} cores "
        f"shared with other work (load average {load[0]:.1f} at the end); Python {platform.python_version()}, "
        f"granian {granian.__version__}.  ",
        f"Stack: the web server below, 2 Celery workers (concurrency 1, nice {args.worker_nice}), "
        f"{_DATABASES[args.database]}, "
        f"DEBUG off, page cache {'off' if not args.page_cache else f'{args.page_cache} s'}, OCR engine `{args.engine}`. "
        f"{READERS} readers fetch the post page, each on a new connection with a {TIMEOUT:.0f} s timeout and "
        f"{READER_PAUSE * 1000:.0f} ms between requests; a timed-out request counts as an error and as "
        f"{TIMEOUT:.0f} s in the percentiles. Slow clients send their headers 2 bytes every "
        f"{SLOW_INTERVAL} s and never finish (slow bodies: whole headers, then a 100 KB upload body at the same pace); uploads are a 47 KB one-page PNG, back to back, "
        f"from {args.uploads} threads.",
        "",
        "| server | phase | requests | p50 ms | p95 ms | p99 ms | errors | slow connections | uploads (status: count) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        for phase in run.phases:
            errors = ", ".join(f"{k}: {v}" for k, v in sorted(phase.errors.items())) or "0"
            uploads = ", ".join(f"{k}: {v}" for k, v in sorted(phase.uploads.items())) or "-"
            lines.append(
                f"| {run.server} | {phase.name} | {len(phase.times_ms)} | {phase.p(0.5):.0f} | "
                f"{phase.p(0.95):.0f} | {phase.p(0.99):.0f} | {errors} | {phase.slow_connections or '-'} | {uploads} |"
            )
    lines += ["", "Servers:", ""]
    lines += [f"- `{run.server}`: {SERVERS[run.server][0]}" for run in runs]
    if len(runs) > 1:
        lines += [
            "",
            f"p99 of `{old.server}` / p99 of `{new.server}`, per phase: "
            + ", ".join(
                f"{a.name} {a.p(0.99) / max(b.p(0.99), 0.01):.1f}x"
                for a, b in zip(old.phases, new.phases, strict=True)
            )
            + ".",
        ]
    if args.wrk_seconds:
        lines += [
            "",
            f"Plain throughput of the post page, no slow clients (wrk -t2 -c16 -d{args.wrk_seconds}s, "
            "client on the same cores):",
            "",
            "| server | req/s | p99 ms | errors | server CPU ms/request | req/s vs first |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {run.server} | {run.rps:.0f} | {run.wrk_p99_ms:.0f} | {run.wrk_errors} | "
            f"{run.cpu_ms:.1f} | {run.rps / max(runs[0].rps, 0.01):.2f}x |"
            for run in runs
        ]
    return "\n".join(lines)


_DATABASES = {
    "sqlite": "a SQLite file with the SQLite-file broker and the database cache (`make run`)",
    "postgres": "PostgreSQL with Redis as broker and cache (production)",
}
_TITLES = {"sqlite": "SQLite, as `make run`", "postgres": "PostgreSQL and Redis, as production"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--servers",
        default="gthread,granian",
        help=f"comma-separated, of {', '.join(SERVERS)}; the first is the baseline",
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--slow", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--page-cache", type=int, default=0, help="MASTHEAD_PAGE_CACHE_SECONDS")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="0 skips the throughput run")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the Celery workers' nice value (the Procfile's WORKER_NICE default is 10)",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    names = args.servers.split(",")
    if unknown := [n for n in names if n not in SERVERS]:
        parser.error(f"unknown servers: {', '.join(unknown)}")
    for name in names:
        program = SERVERS[name][1](0)[0]
        if program != "bash" and not Path(program).exists():
            parser.error(
                f"{name}: {program} is not installed (.venv/bin/uv pip install it to compare)"
            )
    if args.wrk_seconds and shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk), or pass --wrk-seconds 0")
    with tempfile.TemporaryDirectory(prefix="masthead-slow-") as tmp:
        s = _build(Path(tmp), args)
        try:
            for name in ("w1", "w2"):
                s.start_worker(name, nice=args.worker_nice)
            for name in ("w1", "w2"):
                stack.wait_for(lambda n=name: "ready." in s.log_text(n), 60, f"{name} not ready")
            runs = []
            for name in names:
                runs.append(_serve(s, name, args))
                print(_section(runs, args).split("\n\n")[2], flush=True)
        finally:
            s.stop_all()
    section = _section(runs, args)
    print(section)
    if not args.no_write:
        report.write_section(f"slow-clients-{args.database}", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
