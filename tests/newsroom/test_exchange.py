"""The newsroom's Import & export page (masthead/newsroom/exchange.py, exchange/jobs.py):
upload → background job → report for each importer, wrong files refused with nothing
stored, admins only, the full export downloaded, and failed jobs marked failed."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from masthead.blog.models import Post
from masthead.exchange import jobs, tasks
from masthead.exchange.models import ImportJob
from masthead.newsletter.models import Subscriber
from tests.exchange.test_substack import substack_zip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
FIXTURES = Path(__file__).resolve().parents[1] / "exchange" / "fixtures"
Signed = Callable[..., Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def admin(signed_in: Signed) -> Client:
    return signed_in("admin")


def _files(settings: Any) -> list[Path]:
    root = Path(settings.MASTHEAD_EXCHANGE_FILES_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client: Client, kind: str, name: str, data: bytes, mode: str = "import") -> Any:
    return client.post(
        "/newsroom/exchange/import/",
        {"kind": kind, "mode": mode, "file": SimpleUploadedFile(name, data)},
    )


def _run(client: Client, kind: str, path: Path, mode: str = "import") -> ImportJob:
    response = _upload(client, kind, path.name, path.read_bytes(), mode)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/newsroom/exchange/jobs/{job.pk}/"
    return job


@pytest.mark.parametrize(
    ("kind", "fixture", "posts"),
    [("ghost", "ghost5.json", 4), ("wordpress", "wordpress.xml", 4), ("substack", "", 3)],
)
def test_each_importer_runs_as_a_job_with_a_report(
    admin: Client, settings: Any, tmp_path: Path, kind: str, fixture: str, posts: int
) -> None:
    path = FIXTURES / fixture if fixture else substack_zip(tmp_path)
    job = _run(admin, kind, path)
    job.refresh_from_db()
    assert (job.status, job.error) == ("done", ""), job.error
    assert job.report["created"]["posts"] == posts and Post.objects.count() == posts
    assert job.started_at and job.finished_at and job.file_name == path.name
    assert _files(settings) == [] and not job.file  # the upload is gone once the job ends
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert "Import report" in page and f"{posts} posts" in page and "exchange.js" not in page
    status = admin.get(f"/newsroom/exchange/jobs/{job.pk}/status/").json()
    assert (status["status"], status["finished"], status["percent"]) == ("done", True, 100)


def test_ghost_report_lists_skipped_records_with_reasons(admin: Client) -> None:
    job = _run(admin, "ghost", FIXTURES / "ghost5.json")
    job.refresh_from_db()
    reasons = [why for _, why in job.report["skipped"]]
    assert any("stays on the old site" in why for why in reasons)
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert "Skipped, and why" in page and "stays on the old site" in page


def test_subscriber_csv_records_consent_and_never_resubscribes(admin: Client) -> None:
    Subscriber.objects.create(email="csv.reader@harbour.example", status="unsubscribed")
    Subscriber.objects.create(email="other@harbour.example", status="bounced")
    data = (FIXTURES / "ghost-members.csv").read_bytes()
    data += b"9,other@harbour.example,Bounced,,true,false,,2024-01-03T10:00:00.000Z,,,\n"
    data += b"10,fresh@harbour.example,Fresh,,true,false,,2024-01-03T10:00:00.000Z,,,\n"
    _upload(admin, "subscribers", "members.csv", data)
    job = ImportJob.objects.get()
    assert job.status == "done", job.error
    states = dict(Subscriber.objects.values_list("email", "status"))
    assert states["csv.reader@harbour.example"] == "unsubscribed"
    assert states["other@harbour.example"] == "bounced"
    assert states["csv.quiet@harbour.example"] == "unsubscribed"
    fresh = Subscriber.objects.get(email="fresh@harbour.example")
    assert (fresh.status, fresh.consent_source, fresh.source) == ("active", "csv", "csv")
    assert fresh.consent_at is not None
    assert ["2 subscribers", "unsubscribed here, so not subscribed again"] in job.report["skipped"]
    assert any("line 5" in what for what, _ in job.report["skipped"])  # not-an-address


def test_dry_run_saves_nothing_and_says_so(admin: Client, settings: Any) -> None:
    job = _run(admin, "ghost", FIXTURES / "ghost5.json", mode="dry_run")
    job.refresh_from_db()
    assert job.status == "done" and job.dry_run and job.report["dry_run"] is True
    assert job.report["created"]["posts"] == 4 and Post.objects.count() == 0
    assert _files(settings) == []
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert "Dry run report: nothing was saved" in page


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("substack", "export.json", b'{"db": []}', "This is not a zip file."),
        ("ghost", "posts.csv", b"email\na@example.com\n", "This is neither JSON nor a zip file."),
        ("wordpress", "site.json", b"{}", "This is neither XML nor a zip file."),
        ("subscribers", "list.csv", b"email\n\xff\xfe\x00bad\n", "This is not UTF-8 text."),
        ("subscribers", "list.zip", b"PK\x03\x04rest", "This is not a text file."),
        ("ghost", "empty.json", b"", "The file is empty."),
    ],
)
def test_a_wrong_file_is_refused_with_nothing_stored(
    admin: Client, settings: Any, kind: str, name: str, data: bytes, message: str
) -> None:
    response = _upload(admin, kind, name, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "Nothing was stored." in page
    assert not ImportJob.objects.exists() and _files(settings) == []


def test_a_file_over_the_limit_is_refused(admin: Client, settings: Any) -> None:
    settings.MASTHEAD_IMPORT_UPLOAD_MAX_BYTES = 100
    response = _upload(admin, "ghost", "big.json", b"{" + b" " * 200 + b"}")
    assert response.status_code == 413
    assert "the limit is 100 (MASTHEAD_IMPORT_UPLOAD_MAX_BYTES)" in response.content.decode()
    assert not ImportJob.objects.exists() and _files(settings) == []


def test_a_refused_import_fails_the_job_and_leaves_the_site_as_it_was(
    admin: Client, settings: Any
) -> None:
    document = json.loads((FIXTURES / "ghost5.json").read_text())
    posts = document["db"][0]["data"]["posts"]
    posts[1]["slug"] = posts[0]["slug"]  # two posts with one slug: the whole file is refused
    _upload(admin, "ghost", "ghost.json", json.dumps(document).encode())
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.error_code == "duplicate_slug"
    assert "Two posts have the slug" in job.error
    assert Post.objects.count() == 0 and Subscriber.objects.count() == 0
    assert _files(settings) == [] and not job.file
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert "Two posts have the slug" in page and "the uploaded file was deleted" in page


def test_a_lost_upload_fails_the_job(admin: Client) -> None:
    job = ImportJob.objects.create(kind="ghost", file="uploads/gone/ghost.json")
    tasks.import_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "no_file")
    tasks.import_job_run(job.pk)  # a re-delivered message changes nothing
    assert ImportJob.objects.get(pk=job.pk).finished_at == job.finished_at


def test_a_job_whose_worker_died_is_marked_failed(admin: Client) -> None:
    long_ago = timezone.now() - jobs.STALE_AFTER - timedelta(minutes=1)
    job = ImportJob.objects.create(kind="ghost", status="running", started_at=long_ago)
    fresh = ImportJob.objects.create(kind="ghost", status="running", started_at=timezone.now())
    page = admin.get("/newsroom/exchange/").content.decode()
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert (job.status, job.error_code, fresh.status) == ("failed", "worker_lost", "running")
    assert "Failed" in page and "Running" in page


def test_progress_is_read_from_the_running_job(admin: Client, settings: Any) -> None:
    job = ImportJob.objects.create(kind="ghost", status="running", started_at=timezone.now())
    progress = jobs._Progress(job)
    progress("posts", 3, 12)
    state = admin.get(f"/newsroom/exchange/jobs/{job.pk}/status/").json()
    assert (state["stage"], state["done"], state["total"], state["percent"]) == ("posts", 3, 12, 25)
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert 'value="25"' in page and "3 of 12" in page and "exchange.js" in page


def test_full_export_is_offered_to_admins_and_replaced_by_the_next(
    admin: Client, settings: Any
) -> None:
    Post.objects.create(title="Kept", slug="kept", body="Hello", status="published")
    first = admin.post("/newsroom/exchange/export/")
    job = ImportJob.objects.get(kind="export")
    assert first["Location"] == f"/newsroom/exchange/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.report["posts"] == 1
    assert not str(Path(job.file.path)).startswith(str(settings.MEDIA_ROOT))
    page = admin.get(f"/newsroom/exchange/jobs/{job.pk}/").content.decode()
    assert "Download the export (zip)" in page
    download = admin.get(f"/newsroom/exchange/jobs/{job.pk}/download/")
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert "attachment" in download["Content-Disposition"]
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert "masthead-export.json" in archive.namelist()
    admin.post("/newsroom/exchange/export/")
    assert admin.get(f"/newsroom/exchange/jobs/{job.pk}/download/").status_code == 404
    assert len(_files(settings)) == 1


@pytest.mark.parametrize("role", ["author", "editor", None])
def test_only_admins_may_import_or_export(signed_in: Signed, settings: Any, role: str) -> None:
    done = ImportJob.objects.create(kind="export", status="done", file="exports/x/a.zip")
    client = signed_in(role)
    ghost = (FIXTURES / "ghost5.json").read_bytes()
    answers = [
        client.get("/newsroom/exchange/"),
        _upload(client, "ghost", "ghost.json", ghost),
        client.post("/newsroom/exchange/export/"),
        client.get(f"/newsroom/exchange/jobs/{done.pk}/"),
        client.get(f"/newsroom/exchange/jobs/{done.pk}/status/"),
        client.get(f"/newsroom/exchange/jobs/{done.pk}/download/"),
    ]
    assert [a.status_code for a in answers] == [403] * 6
    assert ImportJob.objects.count() == 1 and Post.objects.count() == 0
    assert _files(settings) == []
    if role is not None:
        assert "Import &amp; export" not in client.get("/newsroom/").content.decode()


def test_admins_see_the_nav_link(admin: Client) -> None:
    page = admin.get("/newsroom/").content.decode()
    assert 'href="/newsroom/exchange/"' in page and "Import &amp; export" in page
