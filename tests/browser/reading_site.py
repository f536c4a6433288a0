"""A small publication for browser journeys, saved through the blog services."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from masthead.blog import services
from masthead.blog.models import Post
from tests.blog.factories import make_author, make_tag, published_post

BODY = """\
Readers should be able to find their way around a long article.

## Why sections matter

Short sections with clear headings make a page easy to scan.[^1]

::: tool ocr

## How to write them

Lead with the point, then give the detail.

## What to avoid

Walls of text.

[^1]: Most readers scan before they read.
"""


@pytest.fixture
def reading_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _hero() -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (40, 80, 160)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


@pytest.fixture
def reading_site(reading_settings: None) -> Post:
    ai, ocr = make_tag("AI", "ai"), make_tag("OCR", "ocr")
    author = make_author(display_name="Nadia Okafor", slug="nadia-okafor")
    post = published_post(
        slug="sections", title="Sections make long reads easy", body=BODY, featured=True,
        excerpt="How headings help readers.", hero_alt="Blue field", tags=[ai, ocr],
        authors=[author],
    )  # fmt: skip
    post.hero_image.save("hero.jpg", _hero(), save=True)
    services.post_after_save(post=post, old_slug=None, hero_changed=True)
    published_post(slug="other", title="Another AI story", tags=[ai], authors=[author])
    return post
