"""F05, F06 and F09 with real worker processes: a page that ignores the soft time limit is
ended by the hard limit, which kills the pool process; after its attempts the job is
``failed`` (a poison pill is not retried forever) and the other jobs finish. A broker
restart loses nothing for good: processes reconnect and the sweeper republishes.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.tools import images, stack, stalling
from tests.tools.stack import Stack, post_file, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.slow]

MAX_ATTEMPTS = 2


@pytest.fixture
def limited_stack(tmp_path: Path) -> Iterator[Stack]:
    built = stack.build(
        tmp_path,
        MASTHEAD_OCR_ENGINE_FACTORY="tests.tools.stalling.stalling",
        MASTHEAD_TASK_SOFT_TIME_LIMIT="2",
        MASTHEAD_TASK_TIME_LIMIT="4",
        MASTHEAD_OCR_LEASE_SECONDS="6",
        MASTHEAD_OCR_SWEEP_SECONDS="1",
        MASTHEAD_OCR_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
    )
    yield from stack.running(built)


def _job(s: Stack, job_id: str) -> tuple[str, str, int]:
    rows = s.rows(
        "SELECT status, code, attempts FROM tools_ocrjob WHERE id = ?", job_id.replace("-", "")
    )
    return rows[0][0], rows[0][1], int(rows[0][2])


def test_hard_time_limit_ends_a_stuck_page_and_the_job_fails_after_its_attempts(
    limited_stack: Stack,
) -> None:
    s = limited_stack
    s.start_web()
    s.start_beat()
    s.start_worker("w1")
    stuck, healthy = stalling.submit_stuck_and_healthy(s.url)

    wait_for(lambda: _job(s, stuck)[0] == "failed", 120, "the stuck job never ended")
    assert _job(s, stuck) == ("failed", "ocr_failed", MAX_ATTEMPTS)
    # (it only has to finish: beside a full test run on two cores, 60 s was once too few)
    try:
        wait_for(lambda: _job(s, healthy)[0] == "succeeded", 180, "the other job did not finish")
    except AssertionError as failure:  # say where it stood: its row and the worker's last lines
        tail = "\n".join(s.log_text("w1").splitlines()[-40:])
        raise AssertionError(f"{failure}: {_job(s, healthy)}\n{tail}") from None
    hard_kills = s.log_text("w1").count("Hard time limit (4")
    assert hard_kills == MAX_ATTEMPTS  # once per delivery, then the sweeper fails the job
    assert s.rows("SELECT count(*) FROM tools_ocrjob WHERE source != ''")[0][0] == 0


@pytest.fixture
def own_redis() -> Iterator[tuple[int, Any]]:
    """A Redis of this test's own, which it can kill and start again on the same port."""
    port = stack.free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no"]  # fmt: skip

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(lambda: _pong(port), 10, "redis-server did not start")
        return process

    current = [start()]

    def restart() -> None:
        current[0].kill()  # SIGKILL, no persistence: everything queued is lost
        current[0].wait(10)
        current[0] = start()

    try:
        yield port, restart
    finally:
        current[0].kill()
        current[0].wait(10)


def _pong(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def _succeeded(s: Stack, job_id: str) -> bool:
    return _job(s, job_id)[0] == "succeeded"


def test_after_a_broker_restart_workers_reconnect_and_lost_jobs_are_run(
    tmp_path: Path, own_redis: tuple[int, Any]
) -> None:
    """F09: Redis restarted without persistence. Web, beat and a running worker reconnect
    by themselves; a job whose message the restart lost is published again by the lease
    sweeper; every job ends ``succeeded`` exactly once, none is left queued."""
    port, restart = own_redis
    s = stack.build(
        tmp_path,
        MASTHEAD_BROKER_URL=f"redis://127.0.0.1:{port}/0",
        MASTHEAD_OCR_LEASE_SECONDS="5",
        MASTHEAD_OCR_SWEEP_SECONDS="1",
    )
    try:
        s.start_web()
        s.start_beat()
        s.start_worker("w1")
        restart()  # with every process connected
        status, body, _ = post_file(s.url, "after.png", images.png(), "image/png")
        assert status == 202, body
        reconnected = body["id"]
        wait_for(lambda: _succeeded(s, reconnected), 90, "no worker took the job after the restart")

        s.kill("w1")  # no worker: the next job waits in the queue
        status, body, _ = post_file(s.url, "lost.png", images.png(), "image/png")
        assert status == 202, body
        lost = body["id"]
        restart()  # the queued message goes with it
        s.start_worker("w2")
        wait_for(lambda: _succeeded(s, lost), 90, "the lost job was never run")
    finally:
        s.stop_all()
    queued = s.rows("SELECT count(*) FROM tools_ocrjob WHERE status IN ('queued', 'running')")
    assert queued[0][0] == 0
    logs = s.log_text("w1") + s.log_text("w2")
    for job in (reconnected, lost):
        assert logs.count(f"ocr job {job} succeeded") == 1, job
    # The lost job came back through the sweeper, which reported one job to publish again.
    assert re.search(r"ocr_sweep\[[^\]]+\] succeeded in [\d.]+s: 1\b", s.log_text("w2"))
