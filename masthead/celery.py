"""The Celery app: JSON messages only, configuration from Django settings (CELERY_*).

``celery worker --embed-beat`` runs the periodic schedule (``CELERY_BEAT_SCHEDULE``) inside
the worker, so a one-machine site (``make run``) needs no separate ``celery beat`` process
(docs/decisions/0041). It is Celery's own beat service, schedule file and all; only where
it runs changes: a thread of the worker's process with the ``solo`` and ``threads`` pools,
and Celery's embedded beat *process* with ``prefork``, whose pool forks children again
later (after a crash, ``--max-memory-per-child``) and must not fork a parent whose beat
thread may hold a lock.

Celery enforces time limits only in the prefork pool. In the ``solo`` and ``threads`` pools
``HardTimeLimit`` takes over the hard limit: a task that outlives ``CELERY_TASK_TIME_LIMIT``
(native code that never returns) ends the worker process with status 70, as prefork kills
its pool child; the job's lease then runs out and the sweeper re-queues it (ADR 0402), and
whatever started the worker starts it again (the Procfile's worker line does).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from celery import Celery, bootsteps, signals
from celery.beat import EmbeddedService
from celery.bin.base import CeleryOption
from celery.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

app = Celery("masthead")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

THREAD_POOLS = ("solo", "threads")
"""Pools that never fork after start-up: the schedule can run in a thread beside them."""


def pool_name(pool_cls: Any) -> str:
    """``solo``, ``threads``, ``prefork``...: the last part of the pool's module."""
    module = pool_cls if isinstance(pool_cls, str) else pool_cls.__module__
    name = module.rsplit(".", 1)[-1].split(":")[0]
    return {"thread": "threads"}.get(name, name)


class EmbeddedBeat(bootsteps.StartStopStep):
    """Celery beat inside the worker (``--embed-beat``): a thread where the pool allows."""

    label = "EmbeddedBeat"
    conditional = True
    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, embed_beat: bool = False, **options: Any) -> None:
        self.enabled = bool(embed_beat)
        self.service: Any = None
        super().__init__(worker, **options)

    def create(self, worker: Any) -> None:
        pool = pool_name(worker.pool_cls)
        if pool in ("gevent", "eventlet"):
            raise ImproperlyConfigured("--embed-beat needs the solo, threads or prefork pool")
        self.service = EmbeddedService(
            worker.app,
            thread=pool in THREAD_POOLS,
            schedule_filename=worker.app.conf.beat_schedule_filename,
        )

    def start(self, worker: Any) -> None:
        self.service.start()

    def stop(self, worker: Any) -> None:
        self.service.stop()

    def terminate(self, worker: Any) -> None:
        self.stop(worker)


HARD_LIMIT_EXIT = 70
"""The worker's exit status after a task outlived its hard time limit (EX_SOFTWARE)."""

log = logging.getLogger(__name__)


class Watchdog:
    """Which running task has outlived its limit. Knows no clock of its own: ``check``
    is given the time, so the rule is tested without waiting."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, tuple[str, float]] = {}  # task id -> (name, deadline)

    def started(self, task_id: str, name: str, limit: float, now: float) -> None:
        with self._lock:
            self._running[task_id] = (name, now + limit)

    def finished(self, task_id: str) -> None:
        with self._lock:
            self._running.pop(task_id, None)

    def overdue(self, now: float) -> tuple[str, str] | None:
        """(task id, task name) of a task past its deadline, or None."""
        with self._lock:
            for task_id, (name, deadline) in self._running.items():
                if now >= deadline:
                    return task_id, name
        return None


def _exit_overdue(task_id: str, name: str) -> None:
    log.critical(
        "Hard time limit exceeded for %s[%s]: ending the worker; the job's lease runs out "
        "and the sweeper re-queues it",
        name,
        task_id,
    )
    logging.shutdown()
    os._exit(HARD_LIMIT_EXIT)


class HardTimeLimit(bootsteps.StartStopStep):
    """The hard time limit where Celery has none (solo and threads pools)."""

    label = "HardTimeLimit"
    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, **options: Any) -> None:
        self.limit = float(worker.app.conf.task_time_limit or 0)
        self.enabled = pool_name(worker.pool_cls) in THREAD_POOLS and self.limit > 0
        self.watchdog = Watchdog()
        self.on_overdue: Callable[[str, str], None] = _exit_overdue
        self._stop = threading.Event()
        super().__init__(worker, **options)

    def start(self, worker: Any) -> None:
        signals.task_prerun.connect(self._started, weak=False)
        signals.task_postrun.connect(self._finished, weak=False)
        threading.Thread(target=self._watch, name="hard-time-limit", daemon=True).start()

    def stop(self, worker: Any) -> None:
        self._stop.set()
        signals.task_prerun.disconnect(self._started)
        signals.task_postrun.disconnect(self._finished)

    def _started(self, task_id: str, task: Any, **_: Any) -> None:
        limit = float(getattr(task, "time_limit", None) or self.limit)
        self.watchdog.started(task_id, task.name, limit, time.monotonic())

    def _finished(self, task_id: str, **_: Any) -> None:
        self.watchdog.finished(task_id)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            found = self.watchdog.overdue(time.monotonic())
            if found is not None:
                self.on_overdue(*found)


app.user_options["worker"].add(
    CeleryOption(
        ["--embed-beat"],
        is_flag=True,
        default=False,
        help="Run the periodic schedule inside this worker (one per site).",
        help_group="Worker Options",
    )
)
app.steps["worker"].add(EmbeddedBeat)
app.steps["worker"].add(HardTimeLimit)
