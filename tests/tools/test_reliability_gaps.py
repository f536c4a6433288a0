"""Catalogue cases the other tool tests left open: A13 (CSRF), C11 (API errors), F05
(poison pill), F09 (a lost queue message), T05 (the file-name property).
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.api import error_to_envelope
from masthead.tools import jobs, services, tasks
from masthead.tools.models import ApiKey, OcrJob, OcrJobStatus
from masthead.tools.storage import ocr_files
from tests.tools import images

pytestmark = pytest.mark.django_db


def _stored_job(pages: int = 2, **fields: Any) -> OcrJob:
    """A job as a submission leaves it: its file stored, its options, a lease."""
    data = images.pdf(pages)
    job_id = uuid.uuid4()
    name = ocr_files().save(f"ocr/uploads/{job_id.hex}", ContentFile(data))
    fields.setdefault("lease_expires_at", timezone.now() - timedelta(seconds=1))
    return OcrJob.objects.create(
        id=job_id,
        options=services.ocr_options_from_settings().to_dict(),
        kind="pdf",
        size=len(data),
        source=name,
        pages_total=pages,
        **fields,
    )


def test_a_job_whose_queue_message_was_lost_is_run_by_the_sweeper(tool_settings: Any) -> None:
    """F09: after a broker restart that dropped the message, the job is not stuck queued;
    once its lease runs out the sweeper publishes it again and it completes once."""
    job = _stored_job(pages=2, status=OcrJobStatus.QUEUED)
    assert tasks.ocr_sweep.delay().get() == 1  # tasks run inline in these tests
    job.refresh_from_db()
    assert (job.status, job.pages_done, job.attempts) == (OcrJobStatus.SUCCEEDED, 2, 1)
    assert not job.source  # the upload is deleted once the job ends
    assert tasks.ocr_sweep.delay().get() == 0  # nothing left to re-run


def test_a_job_that_keeps_killing_its_worker_is_failed_and_others_carry_on(
    tool_settings: Any,
) -> None:
    """F05: a job whose worker died on every delivery (lease expired while running) ends
    ``failed`` once it used its attempts; another stale job is re-queued as usual."""
    tries = tool_settings.MASTHEAD_OCR_MAX_ATTEMPTS
    poison = _stored_job(status=OcrJobStatus.RUNNING, attempts=tries)
    unlucky = _stored_job(status=OcrJobStatus.RUNNING, attempts=1)
    fresh = _stored_job(
        status=OcrJobStatus.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert jobs.ocr_sweep() == [str(unlucky.pk)]
    poison.refresh_from_db()
    assert (poison.status, poison.code) == (OcrJobStatus.FAILED, "ocr_failed")
    assert "several tries" in poison.message and not poison.source
    assert not ocr_files().exists(f"ocr/uploads/{poison.pk.hex}")
    unlucky.refresh_from_db()
    fresh.refresh_from_db()
    assert unlucky.status == OcrJobStatus.QUEUED and fresh.status == OcrJobStatus.RUNNING


def test_an_unexpected_api_error_is_a_plain_500_envelope(caplog: Any) -> None:
    """C11: whatever an API view raises, the body says nothing about the inside."""
    caplog.set_level("ERROR", logger="masthead.api")
    error = RuntimeError("secret: SELECT password FROM auth_user; /srv/masthead/settings.py")
    response = error_to_envelope(RequestFactory().get("/api/v1/ocr/jobs/x"), error)
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "ok": False,
        "status": 500,
        "error": {"code": "server_error", "message": "Something went wrong on our side. Please try again."},
    }  # fmt: skip
    assert any(r.exc_info for r in caplog.records)  # the detail goes to the log instead


@pytest.fixture
def member_with_job() -> Iterator[tuple[Client, User, OcrJob, ApiKey]]:
    user = User.objects.create_user("ann", "ann@example.com", "a-long-enough-password-1")
    job = OcrJob.objects.create(owner=user, status=OcrJobStatus.SUCCEEDED, pages_total=1)
    key, _ = services.api_key_create(member=user, name="laptop")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    yield client, user, job, key


def test_tool_actions_without_the_csrf_token_are_refused(
    member_with_job: tuple[Client, User, OcrJob, ApiKey],
) -> None:
    """A13: share, delete and API-key forms are POSTs that need the token."""
    client, _user, job, key = member_with_job
    for path in (
        f"/tools/ocr/jobs/{job.pk}/share/",
        f"/tools/ocr/jobs/{job.pk}/delete/",
        "/tools/api-keys/",
        f"/tools/api-keys/{key.pk}/revoke/",
    ):
        assert client.post(path, {"name": "x"}).status_code == 403, path
    job.refresh_from_db()
    key.refresh_from_db()
    assert job.share_token is None and key.revoked_at is None
    assert ApiKey.objects.count() == 1 and OcrJob.objects.count() == 1


CSRF_EXEMPT = {
    "newsletter/subscribe/": "footer form on cached pages; double opt-in makes a forged POST harmless",
    "newsletter/confirm/<str:token>/": "the signed token authenticates",
    "newsletter/unsubscribe/<str:token>/": "RFC 8058 one-click: mail clients POST without cookies",
    "api/v1/ocr": "the API checks CSRF itself for cookie callers (test_api)",
    "api/v1/ocr/jobs/<job_id>": "the API checks CSRF itself for cookie callers (test_api)",
    "api/v1/ocr/batch": "the API checks CSRF itself for cookie callers (same Caller as api/v1/ocr)",
    "api/v1/ocr/results/<token>": "a GET; the capability token authenticates",
    "api/v1/ocr/languages": "a GET listing the installed languages",
    # The Ghost-compatible Content API: read-only GETs, a content key in the query string.
    "ghost/api/content/^(?P<resource>posts|pages|tags|authors)/$": "read-only GET (exchange)",
    "ghost/api/content/^(?P<resource>posts|pages|tags|authors)/(?P<ident>[0-9a-fA-F]{1,24})/$": (
        "read-only GET (exchange)"
    ),
    "ghost/api/content/^(?P<resource>posts|pages|tags|authors)/slug/(?P<slug>[-\\w]+)/$": (
        "read-only GET (exchange)"
    ),
    "ghost/api/content/settings/": "read-only GET (exchange)",
    "tools/ocr/": "the form view checks CSRF itself, after the size check",
}  # fmt: skip


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_csrf_exemptions_are_the_listed_ones() -> None:
    """A13: "exemptions listed explicitly": a new csrf_exempt view fails here until it is
    listed with its reason."""
    exempt = {
        route
        for route, view in _routes(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    }
    assert exempt <= set(CSRF_EXEMPT), exempt - set(CSRF_EXEMPT)
    assert {"newsletter/unsubscribe/<str:token>/"} <= exempt  # the check does see exemptions


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["/", "\\", "..", ".", "\x00", "\u202e", "\u2028", "%00", " ", "~"]),
            st.text(max_size=10),
        ),
        max_size=30,
    ).map("".join)
)
def test_echoed_file_names_can_never_name_a_path(name: str) -> None:
    """T05 for U25: the display name has no separator, NUL, control or bidi character, is
    never "." or "..", starts with neither a dot nor a space, and fits the column."""
    shown = services.sanitise_filename(name)
    assert 0 < len(shown) <= 100
    assert not {"/", "\\", "\x00"} & set(shown)
    assert not any(unicodedata.category(ch)[0] == "C" for ch in shown)
    assert shown not in {".", ".."} and not shown.startswith((".", " "))
