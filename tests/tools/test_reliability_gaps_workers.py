"""F05 and F06 with real worker processes: a page that ignores the soft time limit is
ended by the hard limit, which kills the pool process; after its attempts the job is
``failed`` (a poison pill is not retried forever) and the other jobs finish.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tools import images, stack
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
    status, body, _ = post_file(s.url, "strip.png", images.png(1500, 150), "image/png")
    assert status == 202, body
    stuck = body["id"]
    status, body, _ = post_file(s.url, "page.png", images.png(), "image/png")
    assert status == 202, body
    healthy = body["id"]

    wait_for(lambda: _job(s, stuck)[0] == "failed", 120, "the stuck job never ended")
    assert _job(s, stuck) == ("failed", "ocr_failed", MAX_ATTEMPTS)
    wait_for(lambda: _job(s, healthy)[0] == "succeeded", 60, "the other job did not finish")
    hard_kills = s.log_text("w1").count("Hard time limit (4")
    assert hard_kills == MAX_ATTEMPTS  # once per delivery, then the sweeper fails the job
    assert s.rows("SELECT count(*) FROM tools_ocrjob WHERE source != ''")[0][0] == 0
