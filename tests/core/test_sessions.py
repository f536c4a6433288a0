"""Database sessions made in one write, and never a change lost by skipping one."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.celery import app as celery_app
from masthead.core import sessions, tasks
from masthead.core.sessions import SessionStore
from masthead.tools.models import OcrJob, OcrJobStatus
from tests.tools import images

pytestmark = pytest.mark.django_db


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_an_anonymous_upload_makes_no_session() -> None:
    """A caller without a cookie owns its job through a capability URL (ADR 0411): no
    session row is written or read, and no cookie is sent."""
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/ocr", {"file": io.BytesIO(images.png(300, 100))})
    assert response.status_code == 200, response.content
    assert _session_writes(queries) == []
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "/api/v1/ocr/results/" in response.json()["url"]


def test_data_changed_after_the_first_write_is_written_again() -> None:
    store = SessionStore()
    store["items"] = ["a"]
    store.save()
    store.save()  # nothing changed: no write
    store["items"].append("b")  # changed in place, not through __setitem__
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert _session_writes(queries) == ["UPDATE"]
    assert SessionStore(store.session_key).load() == {"items": ["a", "b"]}


def test_an_unchanged_session_is_not_written_twice() -> None:
    store = SessionStore()
    store["k"] = 1
    store.save()
    with CaptureQueriesContext(connection) as queries:
        store.save()
        store.modified = True
        store.save()
    assert _session_writes(queries) == []


def test_a_loaded_session_is_written_on_its_first_save() -> None:
    """Only a write made in this request counts: the stored row may be older."""
    first = SessionStore()
    first["k"] = 1
    first.create()
    again = SessionStore(first.session_key)
    again.load()
    with CaptureQueriesContext(connection) as queries:
        again.save()
    assert _session_writes(queries) == ["UPDATE"]


def test_a_key_clash_draws_another_key(monkeypatch: pytest.MonkeyPatch) -> None:
    taken = SessionStore()
    taken["owner"] = "first"
    taken.create()
    keys = iter([taken.session_key, "z" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(keys))
    store = SessionStore()
    store["owner"] = "second"
    store.create()
    assert store.session_key == "z" * 32
    assert SessionStore(taken.session_key).load() == {"owner": "first"}
    assert Session.objects.count() == 2


def test_cycling_the_key_at_sign_in_keeps_the_data_under_a_new_key() -> None:
    store = SessionStore()
    store["cart"] = 1
    store.save()
    old = store.session_key
    store.cycle_key()
    store["user"] = 7
    store.save()
    assert store.session_key != old
    assert not Session.objects.filter(session_key=old).exists()
    assert SessionStore(store.session_key).load() == {"cart": 1, "user": 7}


def test_the_site_uses_this_store() -> None:
    assert settings.SESSION_ENGINE == "masthead.core.sessions"


JOB_URLS = (
    "/tools/ocr/jobs/{id}/",
    "/tools/ocr/jobs/{id}/pages/1.webp",
    "/tools/ocr/jobs/{id}/download/text/",
    "/api/v1/ocr/jobs/{id}",
    "/tools/ocr/shared/no-such-token/",
)


@pytest.mark.parametrize("url", JOB_URLS)
def test_cookieless_reads_of_job_urls_make_no_session(url: str) -> None:
    """Crawlers and link previews send no cookie: a read must not leave a row each time."""
    job = OcrJob.objects.create(session_key="someone-else", status=OcrJobStatus.SUCCEEDED)
    for _ in range(3):
        response = Client().get(url.format(id=job.pk))
        assert response.status_code == 404
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert Session.objects.count() == 0


def test_expired_sessions_are_deleted_by_the_hourly_task(celery_eager: None) -> None:
    live, old = SessionStore(), SessionStore()
    for store in (live, old):
        store["k"] = 1
        store.create()
    Session.objects.filter(session_key=old.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert tasks.sessions_delete_expired.delay().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_the_session_cleanup_is_scheduled_and_registered() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-delete-expired"]
    assert entry["task"] == tasks.sessions_delete_expired.name
    assert entry["task"] in celery_app.tasks


def test_the_cleanup_deletes_in_batches() -> None:
    for _ in range(5):
        store = SessionStore()
        store["k"] = 1
        store.create()
    Session.objects.update(expire_date=timezone.now() - timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        assert sessions.sessions_delete_expired(batch=2) == 5
    deletes = [q for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3
