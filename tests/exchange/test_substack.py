"""Importing a Substack export zip, and subscriber CSVs of Ghost, Substack and Mailchimp."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from masthead.blog.models import Post
from masthead.exchange import services
from masthead.exchange.records import ImportRefused
from masthead.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "substack"


def substack_zip(tmp_path: Path, *, drop: str = "", extra: dict[str, bytes] | None = None) -> Path:
    path = tmp_path / "substack-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in FIXTURE.rglob("*"):
            name = file.relative_to(FIXTURE).as_posix()
            if file.is_file() and name != drop:
                archive.write(file, name)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def test_posts_bodies_audience_and_subscribers(tmp_path: Path, client: Client) -> None:
    Subscriber.objects.create(email="ana@garden.example", status="unsubscribed")
    report = services.substack_import(path=substack_zip(tmp_path))
    assert report.created["posts"] == 3
    garden = Post.objects.get(slug="the-quiet-garden")
    assert garden.status == Post.Status.PUBLISHED and garden.excerpt == "Notes from a slow summer"
    assert str(garden.published_at) == "2024-06-01 07:00:00+00:00"
    body = garden.body
    assert "The garden is **quiet** in June." in body
    assert "![A raised bed](https://substackcdn.example/image/fetch/w_1456/bed.jpeg)" in body
    assert "_The raised bed_" in body and "## What grows" in body and "- Beans" in body
    assert "Subscribe" not in body and "tracker" not in body and "onerror" not in body
    assert "Weeds, mostly." in body
    assert Post.objects.get(slug="seed-swaps").visibility == Post.Visibility.MEMBERS
    assert Post.objects.get(slug="untitled-draft").status == Post.Status.DRAFT
    assert not Post.objects.filter(slug="a-thread").exists()
    states = dict(Subscriber.objects.values_list("email", "status"))
    assert states == {
        "ana@garden.example": "unsubscribed",  # unsubscribed here: stays so
        "ben@garden.example": "active",
        "cleo@garden.example": "unsubscribed",  # email_disabled on Substack
    }
    response = client.get("/p/the-quiet-garden")
    assert response.status_code == 301 and response["Location"] == "/the-quiet-garden/"


def test_rerun_and_command(tmp_path: Path, capsys: Any) -> None:
    path = substack_zip(tmp_path)
    call_command("import_substack", str(path))
    call_command("import_substack", str(path))
    out = capsys.readouterr().out
    assert "Unchanged: 3 posts, 2 subscribers." in out and Subscriber.objects.count() == 3
    assert Post.objects.count() == 3


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("not-zip", "not_an_export"),
        ("no-posts", "not_an_export"),
        ("escape", "unsafe_archive"),
        ("bad-utf8", "not_utf8"),
    ],
)
def test_bad_exports(tmp_path: Path, kind: str, code: str) -> None:
    if kind == "not-zip":
        path = tmp_path / "x.zip"
        path.write_text("post_id,title\n")
    elif kind == "no-posts":
        path = substack_zip(tmp_path, drop="posts.csv")
    elif kind == "escape":
        path = substack_zip(tmp_path, extra={"posts/../../../outside.html": b"<p>x</p>"})
    else:
        path = substack_zip(tmp_path, extra={"posts/140004.a-thread.html": b"x"})
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("email_list.zz.csv", b"email\n\xff\xfe@x\n")
        path = _with_bad_posts_csv(tmp_path)
    with pytest.raises(ImportRefused) as caught:
        services.substack_import(path=path)
    assert caught.value.code == code
    assert Post.objects.count() == 0 and Subscriber.objects.count() == 0


def _with_bad_posts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("posts.csv", b"post_id,title\n1.a,caf\xe9\n")
    return path


MAILCHIMP = """Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,UNSUB_TIME
mc.one@example.com,Mo,One,2,2023-01-01 00:00:00,
mc.gone@example.com,Go,Ne,1,2023-01-01 00:00:00,2023-06-01 00:00:00
"""
GENERIC = "e-mail,status\nplain@example.com,subscribed\nclean@example.com,cleaned\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (MAILCHIMP, {"mc.one@example.com": "active", "mc.gone@example.com": "unsubscribed"}),
        (GENERIC, {"plain@example.com": "active", "clean@example.com": "unsubscribed"}),
        (
            (FIXTURE / "email_list.quietgarden.csv").read_text(),
            {
                "ana@garden.example": "active",
                "ben@garden.example": "active",
                "cleo@garden.example": "unsubscribed",
            },
        ),
    ],
)
def test_subscriber_csvs(tmp_path: Path, content: str, expected: dict[str, str]) -> None:
    path = tmp_path / "list.csv"
    path.write_text(content)
    services.subscribers_import_csv(path=path)
    assert dict(Subscriber.objects.values_list("email", "status")) == expected


def test_subscriber_csv_never_resubscribes(tmp_path: Path) -> None:
    Subscriber.objects.create(email="mc.one@example.com", status="unsubscribed")
    Subscriber.objects.create(email="mc.bounced@example.com", status="bounced")
    path = tmp_path / "list.csv"
    path.write_text(MAILCHIMP + "mc.bounced@example.com,B,O,1,2023-01-01 00:00:00,\n")
    report = services.subscribers_import_csv(path=path)
    assert Subscriber.objects.get(email="mc.one@example.com").status == "unsubscribed"
    assert Subscriber.objects.get(email="mc.bounced@example.com").status == "bounced"
    assert ("2 subscribers", "unsubscribed here, so not subscribed again") in report.skipped


def test_subscriber_csv_without_email_column(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,phone\nA,1\n")
    with pytest.raises(ImportRefused, match="no email column"):
        services.subscribers_import_csv(path=path)
