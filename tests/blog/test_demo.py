"""``load_demo_content``: complete, idempotent, and a dry run touches nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from masthead.blog import selectors
from masthead.blog.models import AuthorProfile, Post

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


def test_dry_run_creates_nothing(settings: Any) -> None:
    assert "Would create 9 posts, 12 tags, 4 authors." in _run("--dry-run")
    assert not Post.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists()


def test_loads_a_full_publication_once(client: Any) -> None:
    assert "Created 9 posts" in _run("--if-empty")
    posts = list(selectors.post_list_published())
    assert len(posts) >= 8
    categories = {p.primary_tag.slug for p in posts if p.primary_tag}
    assert categories == {"ai", "cybersecurity", "marketing", "engineering"}
    assert AuthorProfile.objects.count() >= 3
    assert all(p.hero_renditions and p.hero_alt for p in posts)
    assert any('data-tool="ocr"' in p.body_html for p in Post.objects.all())
    assert Post.objects.filter(visibility=Post.Visibility.MEMBERS).exists()
    assert selectors.post_search(query="passkeys")

    assert "not loaded" in _run("--if-empty")
    assert "Created 0 posts, 0 tags, 0 authors." in _run()
    assert Post.objects.count() == 9

    page = client.get("/reading-receipts-with-a-machine/").content.decode()
    assert 'class="tool-card"' in page and "min read" in page
