"""Related posts are ranked when tags or publication change, and stay right (ADR 0107).

Writes run their commit hooks (``django_capture_on_commit_callbacks``) with Celery inline,
as a worker would run the ranking task after the commit.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from masthead.blog import related, selectors, services
from masthead.blog.models import Post, Tag
from tests.blog.factories import make_tag, make_user, published_post
from tests.fixtures import staff
from tests.fixtures.staff import login_past_totp

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(
    celery_eager_raising: None, django_capture_on_commit_callbacks: Commit
) -> Callable[[], AbstractContextManager[Any]]:
    """Run a write's after-commit work (the ranking task) inline."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _shown(slug: str) -> list[str]:
    post = Post.objects.get(slug=slug)
    return [p.slug for p in selectors.post_list_related(post=post)]


def _page_lists(slug: str, other: str) -> bool:
    page = Client().get(f"/{slug}/").content.decode()
    return f'href="/{other}/"' in page.split('id="related-title"', 1)[-1]


@pytest.fixture
def site() -> Iterator[dict[str, Tag]]:
    x, y, z = make_tag(slug="x"), make_tag(slug="y"), make_tag(slug="z")
    published_post(slug="a", tags=[x, y])
    published_post(slug="b", tags=[x], published_at=timezone.now() - timedelta(days=2))
    published_post(slug="c", tags=[z])
    yield {"x": x, "y": y, "z": z}


def test_a_tag_edit_ranks_the_posts_that_gain_and_lose_it(
    site: dict[str, Tag], committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    assert _shown("a") == ["b"]
    c = Post.objects.get(slug="c")
    with committed():
        services.post_set_tags(post=c, tags=[site["y"], site["x"]])
    assert _shown("a") == ["c", "b"]  # c shares two tags with a, b one
    assert _shown("b") == ["c", "a"]  # one each: newest first
    assert _page_lists("a", "c")
    with committed():
        services.post_set_tags(post=c, tags=[site["z"]])
    assert _shown("a") == ["b"] and _shown("c") == []
    assert not _page_lists("a", "c")


def test_an_unpublished_post_leaves_the_lists(
    site: dict[str, Tag], committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    b = Post.objects.get(slug="b")
    with committed():
        services.post_publish_state(post=b, by=make_user(), action="unpublish")
    assert Post.objects.get(slug="a").related_ids == []
    assert not _page_lists("a", "b")
    with committed():
        services.post_publish_state(post=b, by=make_user(), action="publish")
    assert _shown("a") == ["b"]


def test_a_post_gone_before_the_ranking_is_not_shown(site: dict[str, Tag]) -> None:
    """The broker was down: the stored list still names b, the page shows live posts only."""
    Post.objects.filter(slug="b").update(status=Post.Status.DRAFT)
    assert Post.objects.get(slug="a").related_ids == [Post.objects.get(slug="b").pk]
    assert _shown("a") == []
    assert not _page_lists("a", "b")
    # Read by primary key, each row checked like published() (ADR 0108): scheduled for
    # later is not live either, and is shown once its time has come.
    later = timezone.now() + timedelta(hours=1)
    Post.objects.filter(slug="b").update(status=Post.Status.SCHEDULED, published_at=later)
    assert _shown("a") == []
    Post.objects.filter(slug="b").update(published_at=timezone.now() - timedelta(seconds=1))
    assert _shown("a") == ["b"]


def test_a_scheduled_post_joins_the_lists_when_it_goes_live(
    site: dict[str, Tag], committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    later = published_post(
        slug="later", tags=[site["x"]], status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    assert _shown("a") == ["b"] and later.pk not in Post.objects.get(slug="a").related_ids
    Post.objects.filter(pk=later.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    with committed():
        assert services.posts_went_live()
    assert _shown("a") == ["later", "b"]
    assert _shown("later") == ["a", "b"]


def test_a_tag_deleted_in_the_admin_ranks_its_posts_again(
    site: dict[str, Tag], committed: Callable[[], AbstractContextManager[Any]], client: Client
) -> None:
    login_past_totp(client, staff.superuser())
    with committed():
        response = client.post(f"/admin/blog/tag/{site['x'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Tag.objects.filter(slug="x").exists()
    assert _shown("a") == [] and _shown("b") == []


def _ranked_by_query(post: Post, limit: int) -> list[int]:
    """The ranking as the page used to compute it on every render (a GROUP BY)."""
    tag_ids = list(post.post_tags.values_list("tag_id", flat=True))
    queryset = (
        Post.objects.published()
        .exclude(pk=post.pk)
        .filter(post_tags__tag_id__in=tag_ids)
        .annotate(shared=Count("post_tags", filter=Q(post_tags__tag_id__in=tag_ids)))
        .order_by("-shared", "-published_at", "-pk")
    )
    return list(queryset.values_list("pk", flat=True)[:limit])


def test_stored_lists_match_the_ranking_query_on_a_random_site() -> None:
    rng = random.Random(7)
    tags = [make_tag() for _ in range(6)]
    now = timezone.now()
    for n in range(40):
        published_post(
            slug=f"r{n}", tags=rng.sample(tags, rng.randint(1, 3)),
            published_at=now - timedelta(hours=rng.randint(1, 30)),
            status=Post.Status.DRAFT if n % 9 == 0 else Post.Status.PUBLISHED,
        )  # fmt: skip
    services.posts_related_refresh(everything=True)
    for post in Post.objects.published():
        assert post.related_ids == _ranked_by_query(post, related.KEPT), post.slug


def test_rank_orders_by_shared_tags_then_newest_and_keeps_the_limit() -> None:
    t = [datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 6)]
    links = [(1, 10, t[0]), (1, 11, t[0]), (2, 10, t[1]), (3, 10, t[2]), (3, 11, t[2]),
             (4, 12, t[4]), (5, 10, t[3])]  # fmt: skip
    assert related.rank(links, {1: {10, 11}}, keep=3) == {1: [3, 5, 2]}
    assert related.rank(links, {4: {12}}) == {4: []}
