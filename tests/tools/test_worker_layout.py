"""`make run`'s worker (docs/decisions/0041): one process that also runs the schedule.

The Procfile's worker line runs Celery's solo pool with ``--embed-beat``: the periodic tasks
(the lease sweeper among them) fire from a thread of the worker, and ``HardTimeLimit``
stands in for the hard time limit Celery enforces only in prefork. The end-to-end test runs
that line as ``make run`` does, on its SQLite broker, with no ``celery beat`` beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psutil
import pytest
from celery.beat import Service
from celery.exceptions import ImproperlyConfigured

from masthead.celery import EmbeddedBeat, HardTimeLimit, Watchdog, app, pool_name
from tests.tools import stack, stalling
from tests.tools.stack import Stack, wait_for

MAX_ATTEMPTS = 2


def test_watchdog_names_only_a_task_past_its_deadline() -> None:
    watchdog = Watchdog()
    watchdog.started("a", "masthead.tools.tasks.ocr_page_run", 360, now=1000)
    watchdog.started("b", "masthead.tools.tasks.ocr_sweep", 10, now=1000)
    assert watchdog.overdue(now=1009) is None
    assert watchdog.overdue(now=1010) == ("b", "masthead.tools.tasks.ocr_sweep")
    watchdog.finished("b")
    assert watchdog.overdue(now=1359) is None
    assert watchdog.overdue(now=1360) == ("a", "masthead.tools.tasks.ocr_page_run")
    watchdog.finished("a")
    watchdog.finished("a")  # a second finish (a retried task) is harmless
    assert watchdog.overdue(now=10**6) is None


def test_pool_names_match_the_command_line() -> None:
    from celery.concurrency import prefork, solo, thread

    assert [pool_name(m.TaskPool) for m in (solo, thread, prefork)] == [
        "solo",
        "threads",
        "prefork",
    ]


def _worker(pool: str) -> SimpleNamespace:
    from celery import concurrency

    return SimpleNamespace(app=app, pool_cls=concurrency.get_implementation(pool))


@pytest.mark.parametrize(
    ("pool", "in_a_thread"), [("solo", True), ("threads", True), ("prefork", False)]
)
def test_the_embedded_schedule_is_a_thread_only_where_the_pool_never_forks(
    pool: str, in_a_thread: bool
) -> None:
    step = EmbeddedBeat(_worker(pool), embed_beat=True)
    assert step.enabled
    step.create(_worker(pool))  # built, not started
    assert isinstance(step.service.service, Service)
    assert (type(step.service).__name__ == "_Threaded") is in_a_thread
    service: Any = step.service.service
    assert service.schedule_filename == app.conf.beat_schedule_filename


def test_without_the_option_there_is_no_embedded_schedule() -> None:
    assert not EmbeddedBeat(_worker("solo")).enabled


def test_a_green_pool_cannot_embed_the_schedule() -> None:
    with pytest.raises(ImproperlyConfigured):
        EmbeddedBeat(_worker("gevent"), embed_beat=True).create(_worker("gevent"))


def test_the_hard_limit_step_runs_only_where_celery_has_none() -> None:
    assert HardTimeLimit(_worker("solo")).enabled
    assert HardTimeLimit(_worker("threads")).enabled
    assert not HardTimeLimit(_worker("prefork")).enabled


@pytest.fixture
def make_run_stack(tmp_path: Path) -> Iterator[Stack]:
    built = stack.build(
        tmp_path,
        MASTHEAD_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        MASTHEAD_CACHE_URL="",
        MASTHEAD_OCR_ENGINE_FACTORY="tests.tools.stalling.stalling",
        MASTHEAD_TASK_SOFT_TIME_LIMIT="2",
        MASTHEAD_TASK_TIME_LIMIT="4",
        MASTHEAD_OCR_LEASE_SECONDS="6",
        MASTHEAD_OCR_SWEEP_SECONDS="1",
        MASTHEAD_OCR_MAX_ATTEMPTS=str(MAX_ATTEMPTS),
    )
    built.manage("createcachetable")
    yield from stack.running(built)


def _job(s: Stack, job_id: str) -> tuple[str, str]:
    rows = s.rows("SELECT status, code FROM tools_ocrjob WHERE id = ?", job_id.replace("-", ""))
    return rows[0][0], rows[0][1]


@pytest.mark.slow
def test_the_procfile_worker_schedules_sweeps_and_survives_a_stuck_page(
    make_run_stack: Stack,
) -> None:
    s = make_run_stack
    s.start_procfile_web()
    shell = s.start_procfile_worker()
    stuck, healthy = stalling.submit_stuck_and_healthy(s.url)

    # The stuck page ends the worker at its hard limit each time it is delivered; only the
    # sweeper, fired by the schedule inside the restarted worker, can give the job its next
    # try and then fail it. The other job is read in between.
    wait_for(lambda: _job(s, stuck)[0] == "failed", 180, "the stuck job never ended")
    assert _job(s, stuck) == ("failed", "ocr_failed")
    wait_for(lambda: _job(s, healthy)[0] == "succeeded", 90, "the other job did not finish")
    log = s.log_text("worker")
    assert "Hard time limit exceeded for masthead.tools.tasks.ocr_job_run" in log
    assert "worker ended (70): starting it again" in log
    assert "Scheduler: Sending due task ocr-sweep" in log
    assert s.rows("SELECT count(*) FROM tools_ocrjob WHERE source != ''")[0][0] == 0
    # One worker process under its shell: no pool children, no beat process.
    workers = psutil.Process(shell.pid).children(recursive=True)
    assert [p.name() for p in workers] == ["celery"]
    assert shell.poll() is None
