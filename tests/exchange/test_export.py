"""export_site → import_ghost into an empty site gives the same publication back."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from masthead.blog.demo.loader import demo_load
from masthead.blog.models import AuthorProfile, Post, SlugRedirect, Tag
from masthead.exchange import export, services
from masthead.exchange.models import ImportedItem, PathRedirect
from masthead.newsletter.models import Subscriber
from tests.exchange.media import ghost_media
from tests.exchange.test_substack import substack_zip
from tests.exchange.test_wordpress import uploads

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
_MEDIA_URL = re.compile(r"/media/([^)\s]+)")


def _file_digest(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def snapshot() -> dict[str, Any]:
    """Everything a reader or an editor sees, with media named by their content."""
    posts = {}
    for post in Post.objects.all():
        body = _MEDIA_URL.sub(lambda m: "media:" + _file_digest(m.group(1)), post.body)
        posts[post.slug] = (
            post.title, body, post.excerpt, post.status, post.published_at, post.featured,
            post.visibility, post.meta_title, post.meta_description, post.canonical_url,
            _file_digest(post.hero_image.name or "") if post.hero_image else "", post.hero_alt,
            post.hero_caption, [t.slug for t in post.ordered_tags],
            sorted(u.email for u in post.authors.all()), post.created_at, post.body_html.count("<img"),
            post.reading_time, (post.hero_width, post.hero_height),
        )  # fmt: skip
    return {
        "posts": posts,
        "tags": sorted(Tag.objects.values_list("slug", "name", "description")),
        "authors": sorted(
            AuthorProfile.objects.values_list("user__email", "display_name", "slug", "bio")
        ),
        "subscribers": sorted(
            Subscriber.objects.exclude(status="pending").values_list("email", "status")
        ),
        "redirects": sorted(
            [(f"/{r.old_slug}/", r.post.get_absolute_url()) for r in SlugRedirect.objects.all()]
            + list(PathRedirect.objects.values_list("old_path", "target"))
        ),
    }


def empty_the_site(settings: Any, tmp_path: Path) -> None:
    Post.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()
    Subscriber.objects.all().delete()
    SlugRedirect.objects.all().delete()
    PathRedirect.objects.all().delete()
    ImportedItem.objects.all().delete()
    settings.MEDIA_ROOT = tmp_path / "second-media"


def round_trip(settings: Any, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any], Path]:
    before = snapshot()
    archive = tmp_path / "site.zip"
    export.site_export(output=archive)
    empty_the_site(settings, tmp_path)
    assert Post.objects.count() == 0
    report = services.ghost_import(path=archive)
    lost = [(what, why) for what, why in report.skipped if "stays on the old site" not in why]
    assert lost == [], lost
    return before, snapshot(), archive


def test_demo_content_round_trips(settings: Any, tmp_path: Path) -> None:
    demo_load()
    first = Post.objects.order_by("pk").first()
    assert first is not None
    old_slug = first.slug
    first.slug = "renamed-" + old_slug
    first.save()
    SlugRedirect.objects.create(old_slug=old_slug, post=first)
    Subscriber.objects.create(email="on@example.com", status="active")
    Subscriber.objects.create(email="off@example.com", status="unsubscribed")
    before, after, archive = round_trip(settings, tmp_path)
    assert len(before["posts"]) >= 5
    assert before == after
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert "masthead-export.json" in names and "members.csv" in names
        assert any(n.startswith("content/images/") for n in names)
        rows = list(csv.reader(io.StringIO(zipped.read("members.csv").decode())))
    assert rows[0] == export.GHOST_MEMBER_COLUMNS
    assert sorted((r[1], r[4]) for r in rows[1:]) == [
        ("off@example.com", "false"),
        ("on@example.com", "true"),
    ]
    response = Client().get(f"/{old_slug}/")
    assert response.status_code == 301 and response["Location"] == f"/renamed-{old_slug}/"


@pytest.mark.parametrize("fixture", ["ghost5.json", "ghost6.json", "wordpress.xml", "substack"])
def test_import_fixtures_round_trip(settings: Any, tmp_path: Path, fixture: str) -> None:
    if fixture.startswith("ghost"):
        services.ghost_import(path=FIXTURES / fixture, media=ghost_media(tmp_path / "images"))
    elif fixture == "wordpress.xml":
        services.wordpress_import(path=FIXTURES / fixture, media=uploads(tmp_path / "uploads"))
    else:
        services.substack_import(path=substack_zip(tmp_path))
    before, after, _ = round_trip(settings, tmp_path)
    assert before["posts"] and before == after, _diff(before, after)


def test_export_command(tmp_path: Path, capsys: Any) -> None:
    services.ghost_import(path=FIXTURES / "ghost5.json", media=ghost_media(tmp_path / "images"))
    out = tmp_path / "out.zip"
    members = tmp_path / "members.csv"
    call_command("export_site", "--output", str(out), "--members-csv", str(members))
    printed = capsys.readouterr().out
    assert (
        "Exported 4 posts, 3 images" in printed
    )  # the hero is also a body image and out.is_file()
    assert members.read_text().startswith("id,email,name,note,subscribed_to_emails")


def _diff(a: dict[str, Any], b: dict[str, Any]) -> list[Any]:
    out = []
    for slug in a["posts"]:
        for i, (x, y) in enumerate(zip(a["posts"][slug], b["posts"].get(slug, ()), strict=False)):
            if x != y:
                out.append((slug, i, x, y))
    return out
