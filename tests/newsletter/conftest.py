"""Newsletter fixtures: real Celery worker processes (in-process tests use ``celery_eager_raising``).

Worker processes need a database they can open. pytest-django's SQLite test database lives
in memory, so ``worker_db`` copies it (schema and all) into a file with SQLite's backup API
and points this process's connection at that file for the test; on PostgreSQL the workers
simply open the test database. ``transactional_db`` makes every write visible to them.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from masthead.celery import app
from masthead.newsletter.models import Delivery
from tests import services
from tests.fixtures.django_env import repoint_broker
from tests.fixtures.smtp import MailSink

REDIS_BROKER = services.redis_url("newsletter_broker")
FINAL = {"sent", "failed", "bounced", "uncertain", "skipped"}


def _sqlite_to_file(path: Path) -> Callable[[], None]:
    connection = connections["default"]
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    saved_raw, saved_name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)

    def restore() -> None:
        connection.close()
        connection.settings_dict["NAME"] = saved_name
        connection.connection = saved_raw

    return restore


@pytest.fixture
def worker_db(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL naming the database this test uses, openable by other processes."""
    db = connections["default"].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "worker.sqlite3"
        restore = _sqlite_to_file(path)
        try:
            yield f"sqlite:///{path}"
        finally:
            restore()
        return
    user = db.get("USER") or "postgres"
    yield f"postgres://{user}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Workers:
    """Start and SIGKILL real ``celery worker`` processes against Redis and the test DB."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.procs = env, logs, []  # type: ignore[var-annotated]
        self.started = 0

    def start(self, *, wait: bool = True, concurrency: int = 1) -> subprocess.Popen[bytes]:
        self.started += 1
        log = self.logs / f"worker{self.started}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "masthead.celery",
            "worker",
            "-l",
            "info",
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"nl{self.started}@%h",
        ]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                command, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.procs.append(proc)
        deadline = time.monotonic() + 60
        while wait and b" ready." not in log.read_bytes():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)


@pytest.fixture
def workers(worker_db: str, smtp_server: MailSink, tmp_path: Path) -> Iterator[Workers]:
    import redis

    client = redis.Redis.from_url(REDIS_BROKER)
    client.flushdb()
    port = str(smtp_server.controller.port)  # type: ignore[union-attr]
    env = {
        **os.environ,
        "DATABASE_URL": worker_db,
        "MASTHEAD_BROKER_URL": REDIS_BROKER,
        "MASTHEAD_SECRET_KEY": settings.SECRET_KEY,
        "MASTHEAD_SITE_URL": settings.SITE_URL,
        "MASTHEAD_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_TIMEOUT": "5",
        "MASTHEAD_NEWSLETTER_RATE": "0",
        "MASTHEAD_NEWSLETTER_BATCH": "50",
        "MASTHEAD_NEWSLETTER_LEASE": "2",
        "MASTHEAD_NEWSLETTER_RETRY_BASE_MS": "200",
        "MASTHEAD_NEWSLETTER_RETRY_CAP": "2",
        "OMP_THREAD_LIMIT": "1",
    }
    env.pop("MASTHEAD_SECRET_KEY_FILE", None)
    before = app.conf.broker_url
    repoint_broker(REDIS_BROKER)
    pool = Workers(env, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()
        repoint_broker(before)
        client.flushdb()
        client.close()


def wait_final(issue_id: int, timeout: float = 60) -> dict[str, int]:
    """Wait until every delivery of the issue is in a final state; return counts."""
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = {}
        for status in Delivery.objects.filter(issue_id=issue_id).values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        if counts and set(counts) <= FINAL:
            return counts
        time.sleep(0.2)
    raise AssertionError(f"deliveries not final after {timeout}s: {counts}")


def per_recipient(sink: MailSink) -> dict[str, int]:
    counts: dict[str, int] = {}
    with sink.lock:
        for mail in sink.messages:
            for address in mail.envelope_to:
                counts[address] = counts.get(address, 0) + 1
    return counts


def settings_env(**values: Any) -> dict[str, str]:
    return {f"MASTHEAD_NEWSLETTER_{key.upper()}": str(value) for key, value in values.items()}
