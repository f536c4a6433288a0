"""N04: SIGKILL the sending worker 20 times during a 1,000-recipient send.

18 kills hit the pool process running the send (the way the OOM killer strikes) and 2 kill
the whole worker, which is then restarted. A thread stands in for celery beat and enqueues
the minute sweep every second. Pass: 0 duplicates at the SMTP sink, every recipient either
sent exactly once or listed as uncertain (never silently skipped), at most one uncertain row
per kill (concurrency 1), and nothing resent automatically.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

import psutil
import pytest

from masthead.newsletter import posts, sending, tasks
from masthead.newsletter.models import Delivery, Issue
from tests.blog.factories import published_post
from tests.fixtures.smtp import MailSink
from tests.newsletter.conftest import Workers, per_recipient, wait_final
from tests.newsletter.factories import make_issue, subscribers

pytestmark = [pytest.mark.redis, pytest.mark.slow]
KILLS, RECIPIENTS, WHOLE_WORKER_KILLS = 20, 1000, {6, 13}


def _pool_child(main: Any) -> psutil.Process | None:
    children = psutil.Process(main.pid).children()
    return children[0] if children else None


def _beat(stop: threading.Event) -> None:
    while not stop.wait(1.0):
        tasks.deliveries_sweep.delay()


def _start_digest() -> Issue:
    issue = make_issue()
    sending.issue_send(issue_id=issue.pk)
    return issue


def _start_post() -> Issue:
    """Issue 12: a per-post send goes through the same outbox, so the same kills apply."""
    return posts.send_post(post=published_post(slug="by-email"), audience="subscribers")


@pytest.mark.parametrize("start", [_start_digest, _start_post], ids=["digest", "post"])
def test_sigkill_during_send_gives_no_duplicates_and_no_silent_skips(
    workers: Workers, smtp_server: MailSink, record_property: Any, start: Callable[[], Issue]
) -> None:
    people = subscribers(RECIPIENTS)
    workers.env["MASTHEAD_NEWSLETTER_RATE"] = "60"
    main = workers.start()
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(stop,), daemon=True)
    beat.start()
    started = time.monotonic()
    rng = random.Random(30541)
    targets = sorted(rng.sample(range(10, RECIPIENTS - 50), KILLS))
    issue = start()
    try:
        for number, target in enumerate(targets):
            _wait_until(lambda t=target: _sent(issue.pk) >= t)
            time.sleep(rng.uniform(0, 0.05))  # land at a random point inside the exchange
            if number in WHOLE_WORKER_KILLS:
                workers.kill(main)
                main = workers.start()
                continue
            _wait_until(lambda m=main: _pool_child(m) is not None)
            child = _pool_child(main)
            assert child is not None
            os.kill(child.pid, signal.SIGKILL)
        counts = wait_final(issue.pk, timeout=120)
    finally:
        stop.set()
    elapsed = time.monotonic() - started
    received = per_recipient(smtp_server)
    rows = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "status"))
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    silent = [p.email for p in people if rows[p.email] != "uncertain" and p.email not in received]
    uncertain = [email for email, status in rows.items() if status == "uncertain"]
    delivered = sum(1 for email in uncertain if email in received)
    figures = (
        f"N04: {KILLS} kills, {len(uncertain)} uncertain ({delivered} of them delivered), "
        f"{duplicates} duplicates, {len(silent)} silent skips, {elapsed:.1f}s"
    )
    record_property("figures", figures)
    print(figures)
    assert duplicates == 0
    assert silent == []
    assert set(counts) <= {"sent", "uncertain"} and sum(counts.values()) == RECIPIENTS
    assert all(received.get(email) == 1 for email, s in rows.items() if s == "sent")
    assert len(uncertain) <= KILLS  # at most one in flight per kill (concurrency 1)
    assert len(received) >= RECIPIENTS - len(uncertain)
    time.sleep(1.5)  # more sweeps: uncertain rows stay uncertain (never resent)
    assert len(smtp_server.messages) == sum(received.values())


def _sent(issue_id: int) -> int:
    return Delivery.objects.filter(issue_id=issue_id, status="sent").count()


def _wait_until(condition: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the send stalled"
        time.sleep(0.01)
