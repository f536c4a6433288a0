"""A20 for readers who are signed in: a member sees no draft or scheduled post either."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.blog.models import Post
from tests.blog.factories import published_post

pytestmark = pytest.mark.django_db


def test_member_gets_404_for_drafts_and_future_posts(django_user_model: Any) -> None:
    published_post(slug="shown", title="Shown post")
    published_post(slug="draft", title="Secret draft", status=Post.Status.DRAFT)
    published_post(
        slug="later",
        title="Secret later",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    member = django_user_model.objects.create_user("reader", "reader@example.com", "x" * 16)
    client = Client()
    client.force_login(member)
    for url in ("/draft/", "/draft.md", "/later/", "/later.md"):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/blog/", "/archive/", "/feed/rss/", "/sitemap-posts.xml"):
        body = client.get(url).content.decode()
        assert "/shown/" in body, url  # the listing works, and lists what is published
        assert "Secret draft" not in body and "Secret later" not in body, url
        assert "/draft/" not in body and "/later/" not in body, url
