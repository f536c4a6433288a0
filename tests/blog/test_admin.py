"""Editors in the admin: save renders, preview, bulk actions, validation, image renditions."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from masthead.blog import markdown
from masthead.blog.models import Post, SlugRedirect
from masthead.members import roles
from tests.blog.factories import make_tag, make_user, published_post
from tests.fixtures import staff
from tests.fixtures.staff import login_past_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client: Any) -> Any:
    """A superuser past the staff two-factor check (TOTP set up and used this session)."""
    login_past_totp(client, staff.superuser())
    return client


def _jpeg(width: int = 1200, height: int = 675) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("hero.jpg", buffer.getvalue(), content_type="image/jpeg")


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Hello", "slug": "hello", "excerpt": "", "body": "## One\n\nWords here.",
        "hero_alt": "", "hero_caption": "", "status": "published", "published_at_0": "",
        "published_at_1": "", "visibility": "public", "meta_title": "", "meta_description": "",
        "canonical_url": "",
        "post_tags-TOTAL_FORMS": "0", "post_tags-INITIAL_FORMS": "0",
        "post_tags-MIN_NUM_FORMS": "0", "post_tags-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_saving_renders_body_toc_and_reading_time(editor: Any) -> None:
    response = editor.post("/admin/blog/post/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(slug="hello")
    assert '<h2 id="one">One</h2>' in post.body_html
    assert post.toc == [{"id": "one", "text": "One"}]
    assert post.reading_time == 1
    assert post.published_at is not None  # published now


def test_hero_upload_makes_avif_and_webp_renditions(editor: Any) -> None:
    response = editor.post("/admin/blog/post/add/", _form(hero_image=_jpeg(), hero_alt="Blue"))
    assert response.status_code == 302
    post = Post.objects.get(slug="hello")
    assert (post.hero_width, post.hero_height) == (1200, 675)
    kinds = {(r["type"], r["width"]) for r in post.hero_renditions}
    assert kinds == {(t, w) for t in ("image/avif", "image/webp") for w in (480, 960, 1200)}
    page = editor.get("/hello/").content.decode()
    assert 'type="image/avif" srcset="/media/blog/renditions/' in page
    assert 'width="1200" height="675"' in page


def test_changing_the_slug_keeps_a_redirect(editor: Any) -> None:
    post = published_post(slug="first-name", title="Hello")
    response = editor.post(
        f"/admin/blog/post/{post.pk}/change/",
        _form(
            slug="second-name",
            published_at_0=timezone.now().date().isoformat(),
            published_at_1="00:00:00",
        ),
    )
    assert response.status_code == 302
    assert SlugRedirect.objects.get(old_slug="first-name").post_id == post.pk


def test_scheduling_needs_a_future_time(editor: Any) -> None:
    past = timezone.now() - timedelta(days=1)
    response = editor.post(
        "/admin/blog/post/add/",
        _form(
            status="scheduled", published_at_0=past.date().isoformat(), published_at_1="10:00:00"
        ),
    )
    assert response.status_code == 200
    assert "Pick a time in the future" in response.content.decode()
    assert not Post.objects.exists()


def test_reserved_slugs_are_refused(editor: Any) -> None:
    response = editor.post("/admin/blog/post/add/", _form(slug="tools"))
    assert response.status_code == 200 and not Post.objects.exists()


def test_tags_keep_editor_order(editor: Any) -> None:
    first, second = make_tag("Zeta", "zeta"), make_tag("Alpha", "alpha")
    data = _form(**{
        "post_tags-TOTAL_FORMS": "2",
        "post_tags-0-tag": str(first.pk), "post_tags-0-position": "0",
        "post_tags-1-tag": str(second.pk), "post_tags-1-position": "1",
    })  # fmt: skip
    assert editor.post("/admin/blog/post/add/", data).status_code == 302
    post = Post.objects.get(slug="hello")
    assert [t.slug for t in post.ordered_tags] == ["zeta", "alpha"]
    assert post.primary_tag == first


def test_bulk_actions(editor: Any) -> None:
    a = published_post(slug="a", status=Post.Status.DRAFT, published_at=None)
    b = published_post(slug="b", status=Post.Status.DRAFT, published_at=None)
    ids = [str(a.pk), str(b.pk)]
    editor.post("/admin/blog/post/", {"action": "publish", "_selected_action": ids})
    assert set(Post.objects.published().values_list("slug", flat=True)) == {"a", "b"}
    editor.post("/admin/blog/post/", {"action": "feature", "_selected_action": ids})
    assert Post.objects.filter(featured=True).count() == 2
    editor.post("/admin/blog/post/", {"action": "unpublish", "_selected_action": [str(a.pk)]})
    assert list(Post.objects.published().values_list("slug", flat=True)) == ["b"]


def test_preview_renders_like_save(editor: Any) -> None:
    response = editor.post("/admin/blog/post/preview/", {"body": "## Hi\n\n<script>x</script>"})
    data = response.json()
    assert '<h2 id="hi">Hi</h2>' in data["html"] and "<script" not in data["html"]
    assert data["toc"] == [{"id": "hi", "text": "Hi"}]
    assert data["reading_time"] == 1


def test_preview_is_staff_only_and_post_only(
    client: Any, editor: Any, django_user_model: Any
) -> None:
    assert editor.get("/admin/blog/post/preview/").status_code == 405
    client.logout()
    anonymous = client.post("/admin/blog/post/preview/", {"body": "x"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(django_user_model.objects.create(username="member"))
    assert client.post("/admin/blog/post/preview/", {"body": "x"}).status_code == 302


def test_preview_refuses_a_body_over_the_limit(editor: Any, settings: Any) -> None:
    """Same limit as saving, in UTF-8 bytes, answered with the JSON error envelope."""
    limit = settings.MASTHEAD_POST_MAX_BYTES
    assert limit == 1_000_000  # the default
    for body in ("x" * (limit + 1), "é" * (limit // 2 + 1)):
        response = editor.post("/admin/blog/post/preview/", {"body": body})
        assert response.status_code == 413
        error = response.json()["error"]
        assert error["code"] == "body_too_large"
        assert f"the limit is {limit:,} bytes" in error["message"]
    fits = editor.post("/admin/blog/post/preview/", {"body": "## Same\n\n## Same"})
    assert fits.status_code == 200 and fits.json()["toc"][-1]["id"] == "same-1"


def test_preview_that_runs_out_of_time_answers_422(editor: Any, settings: Any) -> None:
    settings.MASTHEAD_POST_RENDER_SECONDS = 0  # every render is over its time at once
    response = editor.post("/admin/blog/post/preview/", {"body": "## Hi"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "render_too_slow"


def test_saving_a_body_over_the_limit_is_a_form_error(editor: Any, settings: Any) -> None:
    settings.MASTHEAD_POST_MAX_BYTES = 1000
    response = editor.post("/admin/blog/post/add/", _form(body="## Same\n\n" * 111 + "## End"))
    assert response.status_code == 200
    assert "The text is 1,005 bytes; the limit is 1,000 bytes." in response.content.decode()
    assert not Post.objects.exists()


def test_editing_a_body_over_the_limit_keeps_the_stored_post(editor: Any, settings: Any) -> None:
    post = published_post(slug="hello", title="Hello", body="Short and fine.")
    settings.MASTHEAD_POST_MAX_BYTES = 1000
    response = editor.post(f"/admin/blog/post/{post.pk}/change/", _form(body="x" * 1001))
    assert response.status_code == 200 and "the limit is 1,000 bytes" in response.content.decode()
    stored = Post.objects.get(pk=post.pk)
    assert stored.body == "Short and fine." and "Short and fine." in stored.body_html


def test_saving_a_body_too_slow_to_render_is_a_form_error(editor: Any, settings: Any) -> None:
    settings.MASTHEAD_POST_RENDER_SECONDS = 0
    response = editor.post("/admin/blog/post/add/", _form())
    assert response.status_code == 200
    assert "Formatting this text took longer than 0 seconds" in response.content.decode()
    assert not Post.objects.exists()


def test_saving_renders_the_body_once(editor: Any, monkeypatch: Any) -> None:
    """The form's rendering (which checked the limits) is the one saved."""
    calls: list[str] = []
    real = markdown.render

    def counted(text: str, **kwargs: Any) -> markdown.Rendered:
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(markdown, "render", counted)
    assert editor.post("/admin/blog/post/add/", _form()).status_code == 302
    assert calls == ["## One\n\nWords here."]


def test_post_form_tells_the_preview_the_limit(editor: Any, settings: Any) -> None:
    settings.MASTHEAD_POST_MAX_BYTES = 4096
    page = editor.get("/admin/blog/post/add/").content.decode()
    assert re.search(
        r'<textarea[^>]*data-max-bytes="4096"[^>]*id="id_body"|<textarea[^>]*id="id_body"[^>]*data-max-bytes="4096"',
        page,
    )


def test_nul_bytes_are_refused_with_a_form_error(editor: Any) -> None:
    response = editor.post("/admin/blog/post/add/", _form(body="java\x00script"))
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not Post.objects.exists()


def test_post_form_loads_the_preview_script_without_inline_code(editor: Any) -> None:
    page = editor.get("/admin/blog/post/add/").content.decode()
    assert "blog/admin_preview.js" in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_oversized_and_fake_hero_images_are_refused(editor: Any) -> None:
    big = editor.post("/admin/blog/post/add/", _form(hero_image=_jpeg(8000, 6000)))
    assert big.status_code == 200 and "the limit is 40,000,000 pixels" in big.content.decode()
    fake = SimpleUploadedFile("hero.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    bad = editor.post("/admin/blog/post/add/", _form(hero_image=fake))
    assert bad.status_code == 200
    assert not Post.objects.exists()


# --- Authors write drafts only (issue 10, finding 5) ----------------------------------------


def _staff(role: str | None, username: str) -> Any:
    """A staff account holding ``role`` (None: staff with no role), TOTP set up."""
    user = make_user(username=username)
    if role is None:
        user.is_staff = True
        user.save()
    else:
        roles.role_assign(user=user, role=role)
    return staff.with_totp(user)


@pytest.fixture
def author(client: Any) -> Any:
    """An author past the two-factor check; ``client.user`` is the account."""
    client.user = _staff("author", "writer")
    login_past_totp(client, client.user)
    return client


def _post_form(post: Post, **overrides: Any) -> dict[str, Any]:
    """The change form as an author's browser sends it (no publishing fields)."""
    data = _form(title=post.title, slug=post.slug, body=post.body, authors=[])
    for name in ("status", "published_at_0", "published_at_1", "visibility"):
        data.pop(name)
    data.update(overrides)
    return data


@pytest.mark.parametrize("status", [Post.Status.PUBLISHED, Post.Status.SCHEDULED])
def test_author_cannot_change_a_live_post_they_cowrote(author: Any, status: str) -> None:
    when = timezone.now() + (timedelta(days=1) if status == "scheduled" else -timedelta(days=1))
    post = published_post(slug="live", body="Original words.", status=status, published_at=when)
    post.authors.add(author.user)
    tag = make_tag("Kept", "kept")
    url = f"/admin/blog/post/{post.pk}/change/"

    page = author.get(url)
    assert page.status_code == 200
    assert 'id="id_body"' not in page.content.decode()  # shown read-only

    data = _post_form(post, body="Defaced.", authors=[str(author.user.pk)])
    data.update({
        "post_tags-TOTAL_FORMS": "1", "post_tags-0-tag": str(tag.pk),
        "post_tags-0-position": "0",
    })  # fmt: skip
    assert author.post(url, data).status_code == 403
    post.refresh_from_db()
    assert post.body == "Original words." and "Defaced" not in post.body_html
    assert not post.tags.exists()


def test_author_edits_own_draft_and_it_stays_a_draft(author: Any) -> None:
    post = published_post(slug="draft", body="First.", status=Post.Status.DRAFT, published_at=None)
    post.authors.add(author.user)
    data = _post_form(post, body="Second.", status="published", authors=[str(author.user.pk)])
    response = author.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.body == "Second." and post.status == Post.Status.DRAFT


def test_preview_only_for_those_who_may_write_posts(client: Any) -> None:
    login_past_totp(client, _staff(None, "no-role"))
    assert client.post("/admin/blog/post/preview/", {"body": "x"}).status_code == 403
    login_past_totp(client, _staff("author", "writer"))
    assert client.post("/admin/blog/post/preview/", {"body": "x"}).status_code == 200


def test_author_and_tag_renamed_in_the_admin_show_at_once_on_every_piece(
    editor: Any, settings: Any
) -> None:
    """The post page's pieces are kept (ADR 0025): renaming an author or a tag in the
    admin must reach the byline, the author box, the tags and the related cards at once."""
    from django.core.cache import cache
    from django.test import Client

    from masthead.core import pagecache
    from tests.blog.factories import make_author

    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    pagecache.clear_local()
    tag, author = make_tag(name="Old topic", slug="topic"), make_author(display_name="Old Name")
    published_post(slug="one", title="One", tags=[tag], authors=[author])
    published_post(slug="two", title="Two", tags=[tag], authors=[author])
    for url in ("/one/", "/two/"):
        page = Client().get(url).content.decode()
        assert page.count("Old Name") >= 3 and "Old topic" in page  # card of the other post

    change = f"/admin/blog/authorprofile/{author.pk}/change/"
    data = {"user": author.user_id, "display_name": "New Name", "slug": author.slug, "bio": ""}
    assert editor.post(change, data).status_code == 302
    for url in ("/one/", "/two/"):
        page = Client().get(url).content.decode()
        assert "Old Name" not in page and page.count("New Name") >= 3, url
    change = f"/admin/blog/tag/{tag.pk}/change/"
    assert editor.post(change, {"name": "New topic", "slug": "topic"}).status_code == 302
    for url in ("/one/", "/two/"):
        page = Client().get(url).content.decode()
        assert "Old topic" not in page and "New topic" in page, url
