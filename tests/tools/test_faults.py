"""Fault tests with real processes (RELIABILITY F04, F08): SIGKILLed workers lose no job
and finish each exactly once; a broker that is down fails a submission fast while the
articles keep serving.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import images, stack
from tests.tools.stack import Stack, post_file, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.slow]

KILLS = 20
PAGES = 4


@pytest.fixture
def crash_stack(tmp_path: Path) -> Iterator[Stack]:
    built = stack.build(tmp_path, MASTHEAD_OCR_LEASE_SECONDS="6", MASTHEAD_OCR_SWEEP_SECONDS="2",
                        MASTHEAD_OCR_MAX_ATTEMPTS="25")  # fmt: skip
    yield from stack.running(built)


def _pages_done(s: Stack, job_id: str) -> int:
    rows = s.rows(
        "SELECT count(*) FROM tools_ocrpageresult WHERE job_id = ?", job_id.replace("-", "")
    )
    return int(rows[0][0])


def test_sigkilled_workers_lose_no_job_and_finish_each_once(crash_stack: Stack) -> None:
    s = crash_stack
    s.start_web()
    s.start_beat()
    workers = {name: s.start_worker(name) for name in ("w1", "w2")}
    pdf = images.pdf(PAGES)
    jobs: list[str] = []
    for trial in range(KILLS):
        status, body, _ = post_file(s.url, f"scan-{trial}.pdf", pdf, "application/pdf")
        assert status == 202, body
        jobs.append(body["id"])
        wait_for(
            lambda job=body["id"]: _pages_done(s, job) >= 1, 120, f"trial {trial}: no page finished"
        )
        victim = ("w1", "w2")[trial % 2]
        s.kill(victim)  # mid-job: the other pages are still queued or running
        workers[victim] = s.start_worker(victim)

    def all_finished() -> bool:
        rows = s.rows("SELECT count(*) FROM tools_ocrjob WHERE status IN ('queued', 'running')")
        return bool(rows[0][0] == 0)

    wait_for(all_finished, 600, "jobs left unfinished after the kills")
    statuses = dict(s.rows("SELECT id, status FROM tools_ocrjob"))
    assert len(statuses) == KILLS and set(statuses.values()) == {"succeeded"}
    logs = s.log_text("w1") + s.log_text("w2")
    for job in jobs:
        assert logs.count(f"ocr job {job} succeeded") == 1, job  # one succeeded transition
        assert _pages_done(s, job) == PAGES  # one result row per page (UNIQUE)
    assert s.rows("SELECT count(*) FROM tools_ocrjob WHERE source != ''")[0][0] == 0
    rescued = s.rows("SELECT count(*) FROM tools_ocrjob WHERE attempts > 1")[0][0]
    assert rescued >= 1  # the kills did strand work that only the lease sweeper could resume


@pytest.fixture
def broker_down_stack(tmp_path: Path) -> Iterator[Stack]:
    closed = f"redis://127.0.0.1:{stack.free_port()}/0"
    built = stack.build(tmp_path, MASTHEAD_BROKER_URL=closed)
    built.manage("load_demo_content")
    yield from stack.running(built)


def test_broker_down_fails_submissions_fast_and_articles_still_serve(
    broker_down_stack: Stack,
) -> None:
    s = broker_down_stack
    s.start_web()
    jar = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    for _ in range(3):
        status, body, elapsed = post_file(s.url, "scan.pdf", images.pdf(2), "application/pdf", jar)
        assert status == 503 and body["error"]["code"] == "queue_unavailable"
        assert elapsed < 2, f"submit took {elapsed:.2f}s"
    assert s.rows("SELECT count(*) FROM tools_ocrjob")[0][0] == 0
    assert not [p for p in (s.base / "ocr-files").rglob("*") if p.is_file()]
    with urllib.request.urlopen(f"{s.url}/blog/", timeout=5) as response:
        listing = response.read().decode()
        assert response.status == 200
    article = re.search(r'class="card__title"><a href="(/[a-z0-9-]+/)"', listing)
    assert article, "no article linked from /blog/"
    for _ in range(5):
        started = time.perf_counter()
        with urllib.request.urlopen(f"{s.url}{article.group(1)}", timeout=5) as response:
            assert response.status == 200
        assert time.perf_counter() - started < 2
