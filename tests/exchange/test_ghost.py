"""Importing Ghost exports: fixtures of Ghost 5 and 6, media, members, re-runs, dry runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from masthead.blog.models import Post, Tag
from masthead.exchange import services
from masthead.exchange.records import ImportRefused
from masthead.newsletter.models import Subscriber
from tests.exchange.media import ghost_media

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
GHOST5 = FIXTURES / "ghost5.json"
GHOST6 = FIXTURES / "ghost6.json"
DANGER = re.compile(r"<script|onerror|onclick|onmouseover|javascript:|<iframe|<style", re.I)


def test_ghost5_posts_tags_authors_and_cards(tmp_path: Path) -> None:
    report = services.ghost_import(path=GHOST5, media=ghost_media(tmp_path / "images"))
    assert report.created["posts"] == 4
    water = Post.objects.get(slug="reading-the-water")
    assert water.status == Post.Status.PUBLISHED and water.featured
    assert str(water.published_at) == "2024-03-02 09:30:00+00:00"
    assert water.excerpt == "How tides shape a harbour."
    assert water.meta_title == "Tides and harbours"
    assert (
        water.hero_alt == "Boats at low tide" and water.hero_caption == "Photo: the harbour master"
    )
    assert str(water.hero_image.name).startswith("imports/ghost/") and water.hero_width == 64
    assert [t.slug for t in water.ordered_tags] == ["coast", "sailing"]  # internal tag left out
    assert not Tag.objects.filter(slug="hash-feature-wide").exists()
    assert {p.slug for p in water.author_profiles} == {
        "ines",
        "marin",
    }  # the blog keeps no author order
    body = water.body
    assert "## Reading the water" in body
    assert "**harbour**" in body and "[the tide notes](https://harbour.example/tides)" in body
    assert "[Tide tables](https://tides.example/table)" in body and "Times for every port." in body
    assert "> ⚓ Check the **weather** first." in body
    assert "[A short film](https://video.example/watch?v=42)" in body
    assert "```python\ntide = moon * 2\n```" in body
    assert "A **markdown** card." in body
    assert "Only in the email" not in body
    assert "- Rope\n- *Compass*" in body
    assert body.count("/media/imports/ghost/") == 3  # the card image and both gallery images
    assert "Raw card" in body
    assert not DANGER.search(body) and not DANGER.search(water.body_html)

    lights = Post.objects.get(slug="lights-on-the-shore")
    assert lights.visibility == Post.Visibility.MEMBERS  # "paid" in Ghost
    assert (
        lights.meta_title == "Shore lights"
        and lights.canonical_url == "https://first.example/lights"
    )
    assert "*still*" in lights.body and "[**a good one**](https://lights.example/)" in lights.body
    assert "Bad link" in lights.body and "javascript" not in lights.body
    assert "1. Lamp\n2. `Lens`" in lights.body and "> Keep the light burning." in lights.body
    assert "![A lamp](https://cdn.elsewhere.example/lamp.jpg)" in lights.body
    assert (
        "post 'lights-on-the-shore' (id 65f0a1b2c3d4e5f6a7b8c902)",
        "image https://cdn.elsewhere.example/lamp.jpg stays on the old site; "
        "this site shows only its own",
    ) in report.skipped
    assert "Clicked" in lights.body and not DANGER.search(lights.body_html)
    about = Post.objects.get(slug="about")  # a Ghost page keeps its address
    assert about.get_absolute_url() == "/about/" and "## About" in about.body
    assert "onmouseover" not in about.body
    draft = Post.objects.get(slug="next-season")
    assert draft.status == Post.Status.DRAFT and draft.published_at is None
    assert any("pages were imported as posts" in note for note in report.notes)
    assert any("internal tag" in reason for _, reason in report.skipped)


def test_ghost5_members_keep_their_newsletter_state(tmp_path: Path) -> None:
    Subscriber.objects.create(email="gone@harbour.example", status=Subscriber.Status.UNSUBSCRIBED)
    services.ghost_import(path=GHOST5, members_csv=FIXTURES / "ghost-members.csv")
    states = dict(Subscriber.objects.values_list("email", "status"))
    assert states["reader.one@harbour.example"] == "active"
    assert states["reader.two@harbour.example"] == "active"
    assert states["gone@harbour.example"] == "unsubscribed"  # never re-subscribed
    assert states["csv.reader@harbour.example"] == "active"
    assert states["csv.quiet@harbour.example"] == "unsubscribed"  # recorded, so it stays so
    assert "csv.deleted@harbour.example" not in states
    services.subscribers_import_csv(path=FIXTURES / "ghost-members.csv")
    assert Subscriber.objects.get(email="csv.quiet@harbour.example").status == "unsubscribed"


def test_ghost6_lexical_cards(tmp_path: Path) -> None:
    services.ghost_import(path=GHOST6, media=ghost_media(tmp_path / "images"))
    post = Post.objects.get(slug="ferries-at-night")
    assert post.visibility == Post.Visibility.MEMBERS
    assert "> 🌙 Bring a torch." in post.body
    assert "[Ferry times](https://ferries.example/times)" in post.body
    assert "```html\n<script>not run</script>\n```" in post.body  # code, shown as code
    assert "<script" not in post.body_html.replace("&lt;script", "")
    assert post.hero_image and post.hero_alt == "A ferry"


def test_rerun_is_idempotent_and_updates(tmp_path: Path) -> None:
    media = ghost_media(tmp_path / "images")
    services.ghost_import(path=GHOST5, media=media)
    again = services.ghost_import(path=GHOST5, media=media)
    assert again.created == {} and again.unchanged["posts"] == 4
    assert Post.objects.count() == 4 and Tag.objects.count() == 2
    data = json.loads(GHOST5.read_text())
    data["db"][0]["data"]["posts"][3]["title"] = "Next season, soon"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    third = services.ghost_import(path=changed, media=media)
    assert third.updated == {"posts": 1}
    assert Post.objects.get(slug="next-season").title == "Next season, soon"


def test_a_post_of_the_site_is_never_overwritten(tmp_path: Path) -> None:
    from tests.blog.factories import published_post

    mine = published_post(slug="about", title="Our own about page")
    report = services.ghost_import(path=GHOST5)
    mine.refresh_from_db()
    assert mine.title == "Our own about page"
    assert (
        "page 'about' (id 65f0a1b2c3d4e5f6a7b8c903)",
        "the slug 'about' is already used by a post of this site",
    ) in report.skipped


def test_dry_run_saves_nothing(tmp_path: Path) -> None:
    report = services.ghost_import(
        path=GHOST5, media=ghost_media(tmp_path / "images"), dry_run=True
    )
    assert report.created["posts"] == 4
    assert Post.objects.count() == 0 and Subscriber.objects.count() == 0
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.png"))


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def _mutated(mutate: Any) -> str:
    data = json.loads(GHOST5.read_text())
    mutate(data["db"][0]["data"], data["db"][0])
    return json.dumps(data)


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        ('{"hello": "world"}', "not_an_export", "not a Ghost export"),
        ("[1, 2, 3]", "not_an_export", "not a Ghost export"),
        (GHOST5.read_text()[:5000], "bad_json", "truncated"),
        (
            b'{"db": [{"meta": {"version": "5.1.0"}, "data": {"posts": [{"title": "caf\xe9"}]}}]}',
            "not_utf8",
            "byte 72",
        ),
        (
            _mutated(lambda d, db: db["meta"].update(version="2.38.0")),
            "wrong_version",
            "Ghost 2.38.0",
        ),
        (_mutated(lambda d, db: db["meta"].pop("version")), "wrong_version", "meta.version"),
        (
            _mutated(lambda d, db: d["posts"][1].update(slug="reading-the-water")),
            "duplicate_slug",
            "post 'reading-the-water' (id 65f0a1b2c3d4e5f6a7b8c902)",
        ),
        (
            _mutated(lambda d, db: d["users"][1].update(email="")),
            "author_without_email",
            "Ines Okafor (user id u2)",
        ),
    ],
)
def test_bad_exports_are_refused_whole(tmp_path: Path, content: Any, code: str, words: str) -> None:
    Subscriber.objects.create(email="keep@harbour.example", status="active")
    path = _write(tmp_path, "export.json", content)
    with pytest.raises(ImportRefused) as caught:
        services.ghost_import(path=path, members_csv=FIXTURES / "ghost-members.csv")
    assert caught.value.code == code
    assert words in caught.value.message
    assert Post.objects.count() == 0 and Tag.objects.count() == 0
    assert Subscriber.objects.count() == 1


def test_failure_midway_leaves_no_rows_or_files(tmp_path: Path, settings: Any) -> None:
    settings.MASTHEAD_POST_MAX_BYTES = 300  # the lexical post is longer: refused mid-import
    media = ghost_media(tmp_path / "images")
    with pytest.raises(ImportRefused) as caught:
        services.ghost_import(path=GHOST5, media=media)
    assert (
        "post 'lights-on-the-shore'" in caught.value.message
        or "post 'reading-the-water'" in caught.value.message
    )
    assert Post.objects.count() == 0
    stored = (
        list((Path(settings.MEDIA_ROOT) / "imports").rglob("*"))
        if (Path(settings.MEDIA_ROOT) / "imports").exists()
        else []
    )
    assert [p for p in stored if p.is_file()] == []


def test_command_prints_report_and_refuses_clearly(tmp_path: Path, capsys: Any) -> None:
    call_command("import_ghost", str(GHOST5), "--media", str(ghost_media(tmp_path / "images")))
    out = capsys.readouterr()
    assert "Created: 2 authors, 4 posts" in out.out and "posts    [" in out.err
    bad = _write(tmp_path, "bad.json", "{}")
    with pytest.raises(
        CommandError, match=r"Nothing was imported\. bad\.json is not a Ghost export"
    ):
        call_command("import_ghost", str(bad))


def test_a_real_ghost_6_export_brings_back_the_articles_it_was_made_from() -> None:
    """An export made by Ghost 6.65 itself (bench/ghost/: the demo articles put into a real
    Ghost through its Admin API, then ``GET /ghost/api/admin/db/``; users' password hashes,
    private settings and Ghost's own sample page removed): every article comes back as it
    was written, with Ghost's Markdown card turned back into the same Markdown."""
    import re as regex

    from masthead.blog.demo.loader import ALL_POSTS

    report = services.ghost_import(path=FIXTURES / "ghost-6.65-real.json")
    assert report.created["posts"] == len(ALL_POSTS) == 9

    def flat(text: str) -> str:
        return regex.sub(r"\s+", " ", text).strip()

    for demo in ALL_POSTS:
        post = Post.objects.get(slug=demo.slug)
        assert (post.title, post.excerpt) == (demo.title, demo.excerpt)
        assert flat(post.body) == flat(demo.body), demo.slug
        assert [t.slug for t in post.ordered_tags] == list(demo.tags), demo.slug
        assert set(post.authors.values_list("username", flat=True)) == {
            demo.author,
            *demo.extra_authors,
        }
        assert post.featured == demo.featured
        assert post.status == Post.Status.PUBLISHED
    locked = [d.slug for d in ALL_POSTS if d.members_only]
    assert sorted(
        Post.objects.filter(visibility=Post.Visibility.MEMBERS).values_list("slug", flat=True)
    ) == sorted(locked)
    # The hero images are not in the export (Ghost keeps them in content/images/): each is
    # reported, not silently dropped.
    assert sum("is not in the media folder" in reason for _, reason in report.skipped) == 9
