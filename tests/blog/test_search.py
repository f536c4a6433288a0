"""Full-text search: the same selector on SQLite (FTS5) and PostgreSQL (tsvector).

The suite runs on both databases (``make test``), so each test here checks both engines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_several_words_find_only_posts_with_all_of_them() -> None:
    """PostgreSQL ranks a post without the words at 1e-20, not 0, for a query of several
    words: a rank filter listed every post; the match operator does not."""
    published_post(slug="both", title="Lantern orchard")
    published_post(slug="one", title="Lantern repairs")
    published_post(slug="none", title="Tidal charts")
    assert [p.slug for p in selectors.post_search(query="lantern orchard")] == ["both"]


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


def test_search_is_answered_from_an_index() -> None:
    """SQLite reads its FTS5 table; PostgreSQL its stored, GIN-indexed vector, which the
    planner picks once there are enough posts that the others would cost a scan."""
    published_post(slug="indexed", title="Lighthouse keepers")
    when = timezone.now() - timedelta(days=1)
    Post.objects.bulk_create(
        Post(slug=f"filler-{n}", title=f"Filler {n}", body="Gardens and tides. " * 20,
             status=Post.Status.PUBLISHED, published_at=when)
        for n in range(2000)
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert [p.slug for p in selectors.post_search(query="lighthouse")] == ["indexed"]
    sql = next(q["sql"] for q in queries.captured_queries if "blog_post" in q["sql"])
    if connection.vendor == "sqlite":
        assert "blog_post_fts_public MATCH" in sql
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blog_post")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "blog_post_search_vector_public" in plan, plan


def test_members_search_is_answered_from_the_full_index() -> None:
    published_post(slug="indexed", title="Lighthouse keepers", visibility="members")
    with CaptureQueriesContext(connection) as queries:
        found = selectors.post_search(query="lighthouse", members=True)
    assert [p.slug for p in found] == ["indexed"]
    sql = next(q["sql"] for q in queries.captured_queries if "blog_post" in q["sql"])
    assert ("blog_post_fts MATCH" if connection.vendor == "sqlite" else '"search_vector" @@') in sql


def test_the_stored_vector_follows_a_direct_update() -> None:
    """Generated by the database, so even an UPDATE that skips the services is found."""
    post = published_post(slug="direct", title="Before")
    Post.objects.filter(pk=post.pk).update(title="Marmalade recipes")
    if connection.vendor == "sqlite":
        services.post_search_index(post=Post.objects.get(pk=post.pk))  # FTS5 is kept by hand
    assert [p.slug for p in selectors.post_search(query="marmalade")] == ["direct"]


# --- what visitors may find (issue 10, finding 6) ---------------------------------------------


def _members_post(**fields: Any) -> Post:
    fields.setdefault("slug", "members")
    fields.setdefault("title", "Garden notes")
    fields.setdefault("excerpt", "A teaser about hedges.")
    fields.setdefault("body", "The zanzibar quokka plan, step by step.")
    return published_post(visibility=Post.Visibility.MEMBERS, **fields)


def test_visitors_find_members_only_posts_only_by_what_visitors_see() -> None:
    _members_post()
    for word in ("zanzibar", "quokka", "zanzibar quokka", "plan step"):
        assert selectors.post_search(query=word) == [], word
    for word in ("garden", "hedges", "garden teaser"):  # title and excerpt are on the page
        assert [p.slug for p in selectors.post_search(query=word)] == ["members"], word


def test_members_search_members_only_bodies() -> None:
    _members_post()
    assert [p.slug for p in selectors.post_search(query="zanzibar", members=True)] == ["members"]


def test_phrase_order_of_a_members_only_body_is_not_revealed() -> None:
    """PostgreSQL keeps word positions: a phrase query that matched one order and not the
    other told a visitor the order of words they cannot read."""
    _members_post(body="alpha bravo charlie delta")
    for phrase in ('"alpha bravo"', '"bravo alpha"', "alpha <-> bravo", "bravo <-> alpha"):
        assert selectors.post_search(query=phrase) == [], phrase
    assert [p.slug for p in selectors.post_search(query='"alpha bravo"', members=True)] == [
        "members"
    ]
    if connection.vendor == "postgresql":  # SQLite searches words, not phrases
        assert selectors.post_search(query='"bravo alpha"', members=True) == []


def test_members_only_bodies_do_not_change_visitors_ranking() -> None:
    """Two posts equal in what a visitor sees rank equal (newer first), however often the
    word appears in the hidden body of one of them."""
    now = timezone.now()
    _members_post(
        slug="hidden", title="Beacon", excerpt="", body="beacon " * 100,
        published_at=now - timedelta(days=2),
    )  # fmt: skip
    published_post(
        slug="open", title="Beacon", excerpt="", body="", published_at=now - timedelta(days=1)
    )
    assert [p.slug for p in selectors.post_search(query="beacon")] == ["open", "hidden"]
    assert [p.slug for p in selectors.post_search(query="beacon", members=True)] == [
        "hidden", "open"
    ]  # fmt: skip


def test_search_page_hides_members_only_bodies_from_visitors_only(client: Any) -> None:
    _members_post()
    visitor = client.get("/search/", {"q": "zanzibar"}).content.decode()
    assert "0 results" in visitor and "Garden notes" not in visitor
    assert "Garden notes" in client.get("/search/", {"q": "garden"}).content.decode()
    member = get_user_model().objects.create(username="reader", email="reader@example.com")
    client.force_login(member)
    page = client.get("/search/", {"q": "zanzibar"}).content.decode()
    assert "1 result" in page and "Garden notes" in page
    assert "quokka" not in page  # results show the card (title, excerpt), no body text


def test_a_post_made_members_only_leaves_the_visitors_index_however_it_is_changed() -> None:
    """An UPDATE that skips the services (bulk edits, shell) still moves the body out:
    PostgreSQL generates the vector, a SQLite trigger empties the public row's body."""
    post = published_post(slug="moved", title="Orchard", body="The kumquat harvest.")
    assert [p.slug for p in selectors.post_search(query="kumquat")] == ["moved"]
    Post.objects.filter(pk=post.pk).update(visibility=Post.Visibility.MEMBERS)
    assert selectors.post_search(query="kumquat") == []
    assert [p.slug for p in selectors.post_search(query="orchard")] == ["moved"]
    assert [p.slug for p in selectors.post_search(query="kumquat", members=True)] == ["moved"]
    Post.objects.filter(pk=post.pk).update(visibility=Post.Visibility.PUBLIC)
    assert [p.slug for p in selectors.post_search(query="kumquat")] == ["moved"]
