"""A real deployment in miniature for fault tests: gunicorn, Celery workers and beat as
subprocesses, Redis as the broker, and a SQLite *file* they all open.

pytest-django's SQLite test database lives in memory, where other processes cannot see
it, so the stack migrates its own database file under a temporary directory and the test
reads job rows from that file with ``sqlite3``. Nothing here touches the test database.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from tests import services

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Database numbers of their own on the shared Redis, so other suites flushing or sweeping
# their test database (15) never touch these queues.
BROKER_URL = services.redis_url("stack_broker")
CACHE_URL = services.redis_url("stack_cache")


ACCESS_FORMAT = "access %(m)s %(U)s %(s)s %(M)sms"
"""One line per request in web.log: method, path, status, milliseconds spent serving it."""


def server_ms(log: str, method: str, path: str) -> list[int]:
    """How long the web process spent on each ``method path`` request, from its log."""
    pattern = re.compile(rf"^access {method} {re.escape(path)} \d+ (\d+)ms$", re.M)
    return [int(ms) for ms in pattern.findall(log)]


_PLAIN = urllib.request.build_opener()
"""One opener for every upload: building one loads the CA store (~25 ms of CPU), which a
burst of 50 uploads would otherwise spend on the cores the server under test shares."""


def post_file(
    url: str, name: str, data: bytes, content_type: str, opener: Any = None
) -> tuple[int, dict[str, Any], float]:
    """POST ``data`` as the upload field to the OCR API: (status, JSON body, seconds)."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{url}/api/v1/ocr",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    started = time.perf_counter()
    try:
        with (opener or _PLAIN).open(request, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    return status, json.loads(payload), time.perf_counter() - started


class SlowClients:
    """Slowloris: ``count`` connections that send request headers two bytes at a time and
    never the blank line that ends them; each comes back when the server closes it.

    With ``body``: whole headers of a 100 KB upload to the OCR API (a body the site must
    read), then that body two bytes at a time."""

    def __init__(self, port: int, count: int, interval: float = 0.5, body: bool = False) -> None:
        self.port, self.interval = port, interval
        self.opening = (
            b"POST /api/v1/ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\n"
            if body
            else b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        )
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._connected = threading.Barrier(count + 1)
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(count)]

    def __enter__(self) -> SlowClients:
        for thread in self._threads:
            thread.start()
        self._connected.wait(10)  # every client has sent its first bytes
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._connected.abort()
        for thread in self._threads:
            thread.join(10)

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            except OSError:
                self._stop.wait(self.interval)
                continue
            with self._lock:
                self.connections += 1
            try:
                sock.sendall(self.opening)
                if first:
                    first = False
                    with contextlib.suppress(threading.BrokenBarrierError):
                        self._connected.wait(10)
                while not self._stop.wait(self.interval):
                    sock.sendall(b"ab")
            except OSError:
                pass  # closed by the server: reconnect, as an attacker would
            finally:
                sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    base: Path
    env: dict[str, str]
    port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]

    def start(
        self, name: str, command: list[str], env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        if name in self.processes:  # started again: stop the first, or it outlives the test
            self._stop(name)
        log = (self.base / f"{name.split('#')[0]}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_web(self) -> None:
        self.port = free_port()
        self.start("web", [str(BIN / "gunicorn"), "masthead.wsgi", "--bind", f"127.0.0.1:{self.port}",
                           "--workers", "2", "--threads", "4", "--timeout", "60",
                           "--access-logfile", "-", "--access-logformat", ACCESS_FORMAT])  # fmt: skip
        wait_for(lambda: _http_ok(f"{self.url}/healthz"), 30, "gunicorn did not start")

    def start_procfile_web(self) -> None:
        """The ``web`` line of the Procfile, as ``make run`` starts it (through a shell)."""
        self.port = free_port()
        env = {"HOST": "127.0.0.1", "PORT": str(self.port), "PATH": f"{BIN}:{os.environ['PATH']}"}
        self.start("web", ["bash", "-c", f"exec {procfile_command('web')}"], env)
        wait_for(lambda: _http_ok(f"{self.url}/healthz"), 60, "the Procfile's web did not start")

    def start_procfile_worker(self) -> subprocess.Popen[bytes]:
        """The ``worker`` line of the Procfile, as ``make run`` starts it: one process that
        also runs the periodic schedule, started again by its shell if it dies."""
        env = {"PATH": f"{BIN}:{os.environ['PATH']}", "WORKER_NICE": "0"}
        return self.start("worker", ["bash", "-c", procfile_command("worker")], env)

    def start_worker(self, name: str, nice: int = 0) -> subprocess.Popen[bytes]:
        """A worker; ``nice`` lowers its CPU priority below the web's (one shared machine)."""
        prefix = ["nice", "-n", str(nice)] if nice else []
        return self.start(name, [*prefix, str(BIN / "celery"), "-A", "masthead.celery", "worker", "--loglevel", "INFO",
                                 "--concurrency", "1", "--without-gossip", "--without-mingle",
                                 "-n", f"{name}@%h"])  # fmt: skip

    def start_beat(self) -> None:
        self.start("beat", [str(BIN / "celery"), "-A", "masthead.celery", "beat", "--loglevel", "INFO",
                            "-s", str(self.base / "beat-schedule")])  # fmt: skip

    def kill(self, name: str) -> None:
        """SIGKILL the process and its children (a worker's pool), as a crash would."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
        except ProcessLookupError:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self._stop(name)

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of ``sql`` (``?`` placeholders) from the stack's database."""
        url = self.env["DATABASE_URL"]
        if url.startswith("postgres"):
            import psycopg

            with psycopg.connect(url) as db:
                return db.execute(sql.replace("?", "%s"), params).fetchall()
        with sqlite3.connect(self.base / "db.sqlite3", timeout=20) as db:
            return db.execute(sql, params).fetchall()

    def log_text(self, name: str) -> str:
        path = self.base / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def procfile_command(process: str) -> str:
    """The command line of ``process`` in the Procfile (``$PORT`` and the like unexpanded),
    without the ``exec`` that keeps honcho's shell from staying behind."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip().removeprefix("exec ")
    raise KeyError(f"no {process!r} in the Procfile")


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def wait_for(check: Any, seconds: float, message: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def build(base: Path, **overrides: str) -> Stack:
    """Migrate a database file, collect static files and prepare the environment.

    ``DATABASE_URL`` among ``overrides`` puts the stack on that (empty) database instead,
    e.g. PostgreSQL for production-like measurements.
    """
    base.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MASTHEAD_", "DATABASE_URL", "PYTEST", "DJANGO_ALLOW"))
    }
    env.update(
        {
            "MASTHEAD_SECRET_KEY": "fault-tests-only-" + "x" * 40,
            "MASTHEAD_VAR_DIR": str(base),
            "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
            "MASTHEAD_BROKER_URL": BROKER_URL,
            "MASTHEAD_CACHE_URL": CACHE_URL,
            "MASTHEAD_OCR_ENGINE": "fake",
            "MASTHEAD_OCR_SYNC_MAX_BYTES": "0",
            "MASTHEAD_OCR_RATE_ANON": "100000",
            "MASTHEAD_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **overrides,
        }
    )
    stack = Stack(base=base, env=env)
    # Empty the test Redis databases this stack uses; a stack on make run's SQLite broker
    # needs no Redis, and a URL a test points elsewhere (a closed port) is not ours to flush.
    for url in {env["MASTHEAD_BROKER_URL"], env["MASTHEAD_CACHE_URL"]} & {BROKER_URL, CACHE_URL}:
        redis.Redis.from_url(url).flushdb()
    stack.manage("migrate", "--noinput")
    stack.manage("collectstatic", "--noinput")
    return stack


def running(stack: Stack) -> Iterator[Stack]:
    try:
        yield stack
    finally:
        stack.stop_all()
