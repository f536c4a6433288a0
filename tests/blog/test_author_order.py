"""A post's authors keep the order they were added in, whatever the database engine does.

The first is the primary author: the byline, the Content API's ``authors`` list and its
``primary_author`` filter must all agree on it (PostgreSQL returned the authors of an
unordered join in varying order, and the filter, which reads the link order, disagreed).
"""

from __future__ import annotations

import pytest

from masthead.blog import services
from masthead.blog.models import Post
from masthead.blog.selectors import post_list_published
from tests.blog.factories import make_author, published_post

pytestmark = pytest.mark.django_db


def test_authors_come_in_the_order_they_were_added() -> None:
    # Made in the opposite order to the one they are added in, so user ids disagree with it.
    first_made = [make_author(display_name=f"Author {n}", slug=f"author-{n}") for n in range(6)]
    added = list(reversed(first_made))
    post = published_post(slug="many-hands", authors=added)

    expected = [profile.slug for profile in added]
    fresh = Post.objects.get(pk=post.pk)
    assert [profile.slug for profile in fresh.author_profiles] == expected
    prefetched = post_list_published().get(pk=post.pk)
    assert [profile.slug for profile in prefetched.author_profiles] == expected


def test_reordering_the_authors_changes_the_primary_author() -> None:
    ada, grace = make_author(slug="ada"), make_author(slug="grace")
    post = published_post(slug="pair", authors=[ada, grace])
    services.post_set_authors(post=post, authors=[grace.user, ada.user])
    assert [p.slug for p in Post.objects.get(pk=post.pk).author_profiles] == ["grace", "ada"]
    services.post_set_authors(post=post, authors=[grace.user, ada.user])  # unchanged: kept
    assert [p.slug for p in post_list_published().get(pk=post.pk).author_profiles] == [
        "grace",
        "ada",
    ]
