"""The newsroom's writing path: editor, autosave with version check, revisions, images,
preview links, publishing and the roles on each write, with every bad input refused and
nothing half-stored."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sites.models import Site
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from PIL import Image

from masthead.blog import services
from masthead.blog.models import BodyImage, Post, PostRevision, PreviewLink
from masthead.members import roles
from tests.newsroom.conftest import make_staff
from tests.ocr import bombs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _draft(client: Client, title: str = "A draft") -> Post:
    response = client.post("/newsroom/posts/new/", {"title": title})
    assert response.status_code == 302, response
    return Post.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _autosave(client: Client, post: Post, version: int | None = None, **fields: Any) -> Any:
    post.refresh_from_db()
    payload = {
        "version": post.version if version is None else version,
        "title": post.title,
        "excerpt": post.excerpt,
        "body": post.body,
        **fields,
    }
    return client.post(
        f"/newsroom/posts/{post.pk}/autosave/",
        json.dumps(payload),
        content_type="application/json",
    )


def _png(width: int = 640, height: int = 360) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def _upload(client: Client, post: Post, data: bytes, name: str = "photo.png") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/newsroom/posts/{post.pk}/images/",
        {"file": SimpleUploadedFile(name, data, "image/png"), "alt": "A blue field"},
        HTTP_ACCEPT="application/json",
    )


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- the editor and autosave ------------------------------------------------------------------


def test_editor_page_degrades_to_a_textarea_and_loads_the_editor(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    page = client.get(f"/newsroom/posts/{post.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'textarea class="nw-body" id="id_body" name="body"' in html
    assert "newsroom/editor" in html and 'data-autosave-url="/newsroom/posts/' in html
    assert "'nonce-" in page["Content-Security-Policy"].split("style-src")[1].split(";")[0]


def test_autosave_saves_renders_and_keeps_a_revision(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _autosave(client, post, body="## Hello\n\nSome words here.\n\n::: tool ocr")
    assert response.status_code == 200, response.content
    data = response.json()
    post.refresh_from_db()
    assert data["version"] == post.version == 2
    assert data["word_count"] == 4 and data["reading_time"] == 1
    assert '<h2 id="hello">Hello</h2>' in post.body_html
    assert 'data-tool="ocr"' in post.body_html
    assert post.revisions.filter(kind="autosave", body__contains="Some words").exists()


def test_autosaves_close_together_share_one_revision(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    before = post.revisions.count()
    for text in ("one", "one two", "one two three"):
        assert _autosave(client, post, body=text).status_code == 200
    assert post.revisions.count() == before + 1
    assert post.revisions.first().body == "one two three"  # type: ignore[union-attr]


def test_concurrent_edit_is_refused_with_409_and_nothing_overwritten(signed_in: Any) -> None:
    first = signed_in(roles.EDITOR)
    second = signed_in(roles.EDITOR, "other-editor@example.com")
    post = _draft(first)
    start = post.version
    assert _autosave(second, post, version=start, body="Second editor's text").status_code == 200
    response = _autosave(first, post, version=start, body="First editor's text")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "edit_conflict"
    assert "Someone else saved this post" in error["message"]
    post.refresh_from_db()
    assert post.body == "Second editor's text"
    assert not PostRevision.objects.filter(body="First editor's text").exists()


def test_body_over_the_size_limit_is_413_and_nothing_saved(signed_in: Any, settings: Any) -> None:
    settings.MASTHEAD_POST_MAX_BYTES = 2000
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    revisions = post.revisions.count()
    response = _autosave(client, post, body="x" * 2001)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert "the limit is 2,000 bytes" in response.json()["error"]["message"]
    post.refresh_from_db()
    assert post.body == "" and post.version == 1 and post.revisions.count() == revisions


def test_unknown_tool_card_is_an_error_at_save_time(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _autosave(client, post, body="Intro\n\n::: tool ocrr\n")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_tool"
    assert "Line 3: there is no tool called “ocrr”" in error["message"]
    assert "“ocr”" in error["message"]
    post.refresh_from_db()
    assert post.body == "" and post.version == 1


def test_no_script_save_keeps_the_typed_text_on_a_refusal(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = client.post(
        f"/newsroom/posts/{post.pk}/",
        {"version": post.version, "title": "T", "excerpt": "", "body": "::: tool nope"},
    )
    assert response.status_code == 422
    assert "there is no tool called “nope”" in response.content.decode()
    assert "::: tool nope</textarea>" in response.content.decode()
    ok = client.post(
        f"/newsroom/posts/{post.pk}/",
        {"version": post.version, "title": "T", "excerpt": "", "body": "Fine"},
    )
    assert ok.status_code == 302
    post.refresh_from_db()
    assert post.body == "Fine" and post.title == "T"


def test_bad_embed_is_refused_and_a_good_one_loads_nothing_third_party(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    bad = _autosave(client, post, body="::: embed https://example.com/video")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_embed"
    good = _autosave(client, post, body="::: embed https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert good.status_code == 200
    post.refresh_from_db()
    assert 'data-embed="youtube:dQw4w9WgXcQ"' in post.body_html
    assert "<iframe" not in post.body_html and "youtube-nocookie" not in post.body_html


# --- revisions ----------------------------------------------------------------------------


def test_revision_compare_and_restore(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    assert _autosave(client, post, body="First version").status_code == 200
    old = post.revisions.get(body="First version")
    PostRevision.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )  # so the next autosave adds a revision
    assert _autosave(client, post, body="Second version").status_code == 200
    compare = client.get(f"/newsroom/posts/{post.pk}/revisions/{old.pk}/")
    html = compare.content.decode()
    assert '<del class="nw-diff__line">First version</del>' in html
    assert '<ins class="nw-diff__line">Second version</ins>' in html
    post.refresh_from_db()
    stale = client.post(
        f"/newsroom/posts/{post.pk}/revisions/{old.pk}/", {"version": post.version - 1}
    )
    assert stale.status_code == 302
    post.refresh_from_db()
    assert post.body == "Second version"  # a restore from a stale page changes nothing
    restored = client.post(
        f"/newsroom/posts/{post.pk}/revisions/{old.pk}/", {"version": post.version}
    )
    assert restored.status_code == 302
    post.refresh_from_db()
    assert post.body == "First version"
    assert post.revisions.filter(kind="restore", body="First version").exists()
    assert post.revisions.filter(body="Second version").exists()


# --- images ---------------------------------------------------------------------------------


def test_image_upload_stores_renditions_and_the_page_gets_a_sized_picture(
    signed_in: Any,
) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _upload(client, post, _png(1200, 800))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["markdown"].startswith("![A blue field](/media/blog/body/photo-")
    image = BodyImage.objects.get()
    assert (image.width, image.height) == (1200, 800)
    kinds = {r["type"] for r in image.renditions}
    assert kinds == {"image/avif", "image/webp"}
    assert all(default_storage.exists(r["name"]) for r in image.renditions)
    body = f"Intro\n\n{data['markdown']}\n\nMore\n\n{data['markdown']}"
    assert _autosave(client, post, body=body).status_code == 200
    post.refresh_from_db()
    assert post.body_html.count("<picture>") == 2
    assert 'width="1200" height="800" loading="eager"' in post.body_html
    assert 'loading="lazy"' in post.body_html
    assert 'type="image/avif" srcset="/media/blog/renditions/' in post.body_html


def test_non_image_upload_is_415_and_nothing_stored(signed_in: Any, settings: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _upload(client, post, b"%PDF-1.4\n1 0 obj<<>>endobj\n", name="x.png")
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_type"
    text = _upload(client, post, b"just some text, not a picture", name="notes.png")
    assert text.status_code == 415
    assert BodyImage.objects.count() == 0
    assert _stored_files(Path(settings.MEDIA_ROOT)) == []


def test_oversized_upload_is_413_and_nothing_stored(signed_in: Any, settings: Any) -> None:
    settings.MASTHEAD_BODY_IMAGE_MAX_BYTES = 1000
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _upload(client, post, _png(400, 400) + b"\0" * 2000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert BodyImage.objects.count() == 0
    assert _stored_files(Path(settings.MEDIA_ROOT)) == []


def test_image_bomb_is_refused_from_its_header(signed_in: Any, settings: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = _upload(client, post, bombs.png_header(60_000, 60_000))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "image_too_large"
    assert "60000 x 60000" in error["message"]
    assert BodyImage.objects.count() == 0
    assert _stored_files(Path(settings.MEDIA_ROOT)) == []


def test_no_script_upload_goes_back_with_the_markdown(signed_in: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(roles.EDITOR)
    post = _draft(client)
    response = client.post(
        f"/newsroom/posts/{post.pk}/images/",
        {"file": SimpleUploadedFile("a.png", _png(), "image/png"), "alt": "Alt"},
        follow=True,
    )
    assert "Paste this line into the body: ![Alt](/media/blog/body/" in response.content.decode()


# --- preview links and drafts on the site --------------------------------------------------------


def test_preview_link_lets_a_signed_out_reader_see_the_draft(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client, "Secret plans")
    assert _autosave(client, post, body="## Inside\n\n::: tool ocr").status_code == 200
    assert client.post(f"/newsroom/posts/{post.pk}/preview-links/").status_code == 302
    link = PreviewLink.objects.get(post=post)
    assert len(link.token) >= 43  # 256 random bits
    reader = Client()
    assert reader.get(f"/{post.slug}/").status_code == 404
    page = reader.get(f"/preview/{link.token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    assert '<h2 id="inside">Inside</h2>' in html and "tool-card" in html
    assert reader.get("/preview/not-a-real-token/").status_code == 404


def test_revoked_and_expired_preview_links_say_so(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client)
    editor = client.user
    revoked = services.preview_link_create(post=post, by=editor)
    response = client.post(f"/newsroom/posts/{post.pk}/preview-links/{revoked.pk}/revoke/")
    assert response.status_code == 302
    page = Client().get(f"/preview/{revoked.token}/")
    assert page.status_code == 410
    assert "The editor turned this preview link off." in page.content.decode()
    expired = services.preview_link_create(post=post, by=editor, days=0)
    page = Client().get(f"/preview/{expired.token}/")
    assert page.status_code == 410
    assert "This preview link expired on" in page.content.decode()
    assert post.title not in page.content.decode()


def test_staff_open_a_draft_at_its_address_and_readers_do_not(signed_in: Any) -> None:
    client = signed_in(roles.AUTHOR)
    post = _draft(client, "Draft for staff")
    page = client.get(f"/{post.slug}/")
    assert page.status_code == 200
    assert "Draft. Only staff" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert Client().get(f"/{post.slug}/").status_code == 404
    member = signed_in(None)
    assert member.get(f"/{post.slug}/").status_code == 404


def test_preview_pane_and_email_preview(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client, "Pane post")
    assert _autosave(client, post, excerpt="The short of it").status_code == 200
    pane = client.get(f"/newsroom/posts/{post.pk}/preview/")
    assert pane.status_code == 200
    assert pane["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pane["Content-Security-Policy"]
    assert 'class="post__title">Pane post</h1>' in pane.content.decode()
    email = client.get(f"/newsroom/posts/{post.pk}/email/")
    assert email.status_code == 200
    assert "Pane post" in email.content.decode() and "The short of it" in email.content.decode()
    assert "script-src" not in email["Content-Security-Policy"]


# --- publishing and roles -------------------------------------------------------------------------


def test_editor_publishes_schedules_and_unpublishes(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client, "To publish")
    url = f"/newsroom/posts/{post.pk}/publish/"
    past = client.post(url, {"action": "schedule", "publish_at": "2001-01-01T10:00",
                             "visibility": "public"}, follow=True)  # fmt: skip
    assert "Pick a publish time in the future" in past.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"action": "schedule", "publish_at": later, "visibility": "members"})
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED and post.visibility == "members"
    assert Client().get(f"/{post.slug}/").status_code == 404
    client.post(url, {"action": "publish", "visibility": "public", "featured": "on"})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.featured
    assert Client().get(f"/{post.slug}/").status_code == 200
    client.post(url, {"action": "unpublish", "visibility": "public"})
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_author_edits_own_drafts_only_and_never_publishes(signed_in: Any) -> None:
    author = signed_in(roles.AUTHOR)
    editor = signed_in(roles.EDITOR)
    own = _draft(author, "Mine")
    theirs = _draft(editor, "Theirs")
    assert _autosave(author, own, body="my words").status_code == 200
    refused = _autosave(author, theirs, body="not mine")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert author.get(f"/newsroom/posts/{theirs.pk}/").status_code == 403
    publish = author.post(
        f"/newsroom/posts/{own.pk}/publish/", {"action": "publish", "visibility": "public"}
    )
    assert publish.status_code == 403
    assert "Only editors and admins publish" in publish.content.decode()
    own.refresh_from_db()
    assert own.status == Post.Status.DRAFT
    editor.post(f"/newsroom/posts/{own.pk}/publish/", {"action": "publish",
                                                         "visibility": "public"})  # fmt: skip
    # Published now: the author may no longer change it.
    assert _autosave(author, own, body="late change").status_code == 403
    assert author.get(f"/newsroom/posts/{own.pk}/").status_code == 403


def test_members_and_signed_out_visitors_are_kept_out(signed_in: Any) -> None:
    assert Client().get("/newsroom/posts/").status_code == 302
    member = signed_in(None)
    assert member.get("/newsroom/posts/").status_code == 403
    assert member.post("/newsroom/posts/new/").status_code == 403
    assert Post.objects.count() == 0


def test_settings_panel_changes_slug_tags_and_search_text(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    post = _draft(client, "Settings post")
    response = client.post(
        f"/newsroom/posts/{post.pk}/settings/",
        {"version": post.version, "slug": "better-address", "tags": "AI, Security",
         "meta_title": "Search title", "meta_description": "Search text", "canonical_url": ""},
    )  # fmt: skip
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.slug == "better-address" and post.meta_title == "Search title"
    assert [t.name for t in post.ordered_tags] == ["AI", "Security"]
    reserved = client.post(
        f"/newsroom/posts/{post.pk}/settings/",
        {"version": post.version, "slug": "newsroom", "tags": ""}, follow=True,
    )  # fmt: skip
    assert "“newsroom” is used by another page" in reserved.content.decode()


def test_author_cannot_invent_tags(signed_in: Any) -> None:
    author = signed_in(roles.AUTHOR)
    post = _draft(author)
    response = author.post(
        f"/newsroom/posts/{post.pk}/settings/",
        {"version": post.version, "slug": post.slug, "tags": "Brand new"},
        follow=True,
    )
    assert "There is no tag “Brand new”" in response.content.decode()


def test_sites_framework_follows_the_site_url(settings: Any) -> None:
    from masthead.core.sites import site_sync

    settings.SITE_URL = "https://news.example.org"
    site_sync()
    site = Site.objects.get_current()
    assert site.domain == "news.example.org"


def test_post_list_shows_posts_with_their_state(signed_in: Any) -> None:
    client = signed_in(roles.EDITOR)
    _draft(client, "Listed draft")
    page = client.get("/newsroom/posts/?show=drafts")
    assert page.status_code == 200
    assert "Listed draft" in page.content.decode()
    assert 'aria-current="page">Drafts' in page.content.decode()
    make_staff(roles.AUTHOR, "a2@example.com")
