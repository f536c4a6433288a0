"""Full-text search: the same selector on SQLite (FTS5) and PostgreSQL (tsvector).

The suite runs on both databases (``make test``), so each test here checks both engines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.blog import selectors, services
from masthead.blog.models import Post
from tests.blog.factories import published_post

pytestmark = pytest.mark.django_db


def test_finds_words_in_title_excerpt_and_body() -> None:
    published_post(slug="a", title="Passkeys for teams", body="Nothing.")
    published_post(slug="b", title="Other", excerpt="All about passkeys.")
    published_post(slug="c", title="Third", body="We rolled out passkeys last spring.")
    published_post(slug="d", title="Unrelated", body="Newsletters and email.")
    found = [p.slug for p in selectors.post_search(query="passkeys")]
    assert set(found) == {"a", "b", "c"}
    assert found[0] == "a"  # a title match ranks first


def test_stemming_matches_word_forms() -> None:
    published_post(slug="run", title="Running small models")
    assert [p.slug for p in selectors.post_search(query="run")] == ["run"]


def test_hides_drafts_and_future_posts() -> None:
    published_post(slug="draft", title="Quantum draft", status=Post.Status.DRAFT)
    published_post(
        slug="soon", title="Quantum soon", status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )  # fmt: skip
    assert selectors.post_search(query="quantum") == []


def test_index_follows_edits() -> None:
    post = published_post(slug="x", title="Original heading")
    post.title = "Replacement heading"
    services.post_render_body(post=post)
    post.save()
    services.post_after_save(post=post, old_slug="x", hero_changed=False)
    assert selectors.post_search(query="original") == []
    assert [p.slug for p in selectors.post_search(query="replacement")] == ["x"]


@pytest.mark.parametrize(
    "query", ['"', "AND", "NOT (", "*", "title:x", "a" * 500, "   ", "'; DROP"]
)
def test_reader_input_is_never_query_syntax(query: str) -> None:
    published_post(slug="safe", title="Safe post")
    assert isinstance(selectors.post_search(query=query), list)


def test_removed_posts_leave_the_index() -> None:
    post = published_post(slug="gone", title="Ephemeral")
    services.post_search_remove(post_ids=[post.pk])
    post.delete()
    assert selectors.post_search(query="ephemeral") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_reader_text_is_a_valid_search(query: str) -> None:
    assert isinstance(selectors.post_search(query=query), list)


def test_search_page_survives_nul_and_huge_queries(client: Any) -> None:
    assert client.get("/search/", {"q": "a\x00b"}).status_code == 200
    assert client.get("/search/", {"q": "x" * 10_000}).status_code == 200
