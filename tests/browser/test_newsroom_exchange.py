"""Import & export in Chromium: an admin uploads a small Ghost export from the newsroom
page, watches the queued job's progress update by itself while a worker runs it, and reads
the report; axe-core finds nothing on the page, the job page and the report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from masthead.blog.models import Post
from masthead.celery import app
from masthead.core import pagecache
from masthead.exchange import tasks
from masthead.exchange.models import ImportJob
from tests.browser import axe
from tests.fixtures.browser import assert_clean
from tests.fixtures.django_env import repoint_broker
from tests.fixtures.staff import login_past_totp
from tests.newsroom.conftest import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GHOST5 = Path(__file__).resolve().parents[1] / "exchange" / "fixtures" / "ghost5.json"


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: Any, tmp_path: Path) -> Iterator[None]:
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0
    call_command("createcachetable", verbosity=0)
    cache.clear()
    pagecache.clear_local()
    yield
    cache.clear()
    pagecache.clear_local()


@pytest.fixture
def held_queue() -> Iterator[None]:
    """Jobs are queued on an in-process broker and wait there: the test plays the worker,
    so the page is seen while the job waits and then runs."""
    eager, broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    repoint_broker("memory://")
    try:
        yield
    finally:
        app.conf.task_always_eager = eager
        repoint_broker(broker)


def _sign_in(page: Any, live_server: Any) -> None:
    client = Client()
    login_past_totp(client, make_staff("admin", "ada.admin@example.com", name="Ada Admin"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.session.session_key, "url": live_server.url}]
    )


def _axe_both_schemes(page: Any) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert axe.violations(page) == [], (page.url, scheme)
    page.emulate_media(color_scheme="light")


def test_admin_imports_a_ghost_export_and_watches_it_finish(
    page: Any, live_server: Any, held_queue: None
) -> None:
    _sign_in(page, live_server)
    page.goto("/newsroom/")
    page.get_by_role("link", name="Import & export").click()
    expect(page.get_by_role("heading", name="Import & export", level=1)).to_be_visible()
    _axe_both_schemes(page)

    page.get_by_label("Ghost export (JSON or zip)").check()
    page.get_by_label("File", exact=True).set_input_files(str(GHOST5))
    page.get_by_label("Import: save posts", exact=False).check()
    page.get_by_role("button", name="Start").click()

    # The job waits for a worker: its page shows the status and a progress bar.
    expect(page.get_by_role("heading", name="Status: Waiting to start")).to_be_visible()
    expect(page.locator("progress#job-progress")).to_be_visible()
    _axe_both_schemes(page)
    job = ImportJob.objects.get()
    assert job.status == "queued" and Post.objects.count() == 0

    tasks.import_job_run(job.pk)  # what the worker does with the queued message

    # The page polls, sees the job finished, and reloads into the report by itself.
    expect(page.get_by_role("heading", name="Import report")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Status: Finished")).to_be_visible()
    expect(page.get_by_text("4 posts").first).to_be_visible()
    expect(page.get_by_role("heading", name="Skipped, and why")).to_be_visible()
    assert Post.objects.count() == 4
    _axe_both_schemes(page)
    assert_clean(page)
