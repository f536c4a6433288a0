"""Blog rows for tests. ``published_post`` saves a post the way the admin does.

Plain typed functions rather than factory_boy: its declarations are untyped, and these
few rows need nothing more than a counter.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from masthead.blog import services
from masthead.blog.models import AuthorProfile, Post, Tag

_counter = itertools.count(1)


def make_user(**fields: Any) -> Any:
    n = next(_counter)
    fields.setdefault("username", f"user{n}")
    fields.setdefault("email", f"{fields['username']}@example.com")
    return get_user_model().objects.create(**fields)


def make_tag(name: str | None = None, slug: str | None = None, **fields: Any) -> Tag:
    n = next(_counter)
    return Tag.objects.create(name=name or f"Topic {n}", slug=slug or f"topic-{n}", **fields)


def make_author(**fields: Any) -> AuthorProfile:
    n = next(_counter)
    fields.setdefault("user", make_user())
    fields.setdefault("display_name", f"Writer {n}")
    fields.setdefault("slug", f"writer-{n}")
    fields.setdefault("bio", "Writes about things.")
    return AuthorProfile.objects.create(**fields)


def build_post(**fields: Any) -> Post:
    n = next(_counter)
    fields.setdefault("title", f"Post number {n}")
    fields.setdefault("slug", f"post-{n}")
    fields.setdefault("excerpt", "A short summary.")
    fields.setdefault("body", "## First\n\nSome words.\n\n## Second\n\nMore words.")
    fields.setdefault("status", Post.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    return Post(**fields)


def published_post(
    *,
    tags: Sequence[Tag] = (),
    authors: Sequence[AuthorProfile] = (),
    **fields: Any,
) -> Post:
    """A post saved the way the admin saves one: rendered, tagged, indexed."""
    post = build_post(**fields)
    services.post_render_body(post=post)
    post.save()
    if authors:
        services.post_link_authors(post=post, users=[a.user for a in authors])
    if tags:
        services.post_set_tags(post=post, tags=list(tags))
    services.post_after_save(post=post, old_slug=None, hero_changed=bool(post.hero_image))
    # What the task queued for after the commit does (a test's transaction never commits).
    services.posts_related_refresh(post_ids=[post.pk])
    return post
