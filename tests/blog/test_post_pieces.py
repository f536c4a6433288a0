"""A post page's pieces are kept beside the post (blog.pieces, ADR 0025): built ahead of
readers, left in place by edits of other posts, rebuilt when anything they show changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.blog import pieces, services
from masthead.blog.models import Post, PostPiece
from masthead.comments import services as comments
from masthead.core import pagecache, publication
from tests.blog.factories import make_author, make_tag, make_user, published_post
from tests.fixtures import staff
from tests.fixtures.staff import login_past_totp
from tests.shared_reads import own_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings: Any) -> Iterator[None]:
    settings.PAGE_CACHE_SECONDS = 0  # every request renders: the pieces are what is kept
    settings.FRAGMENT_CACHE_SECONDS = 600
    cache.clear()
    pagecache.clear_local()
    yield
    pagecache.clear_local()


def _two_related() -> tuple[Post, Post, Post]:
    """``one`` and ``two`` share a tag (each shows the other's card); ``other`` does not."""
    tag, other_tag = make_tag(name="Shared", slug="shared"), make_tag(name="Apart", slug="apart")
    author = make_author(display_name="Writer")
    one = published_post(slug="one", title="One", tags=[tag], authors=[author])
    two = published_post(slug="two", title="Two", tags=[tag], authors=[author])
    other = published_post(slug="other", title="Other", tags=[other_tag], authors=[author])
    for post in (one, two, other):
        post.refresh_from_db()
    assert two.pk in one.related_ids and one.pk in two.related_ids
    assert one.pk not in other.related_ids and other.pk not in one.related_ids
    return one, two, other


def _stamps(post: Post) -> dict[str, str]:
    return dict(PostPiece.objects.filter(post=post).values_list("name", "stamp"))


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        Client().get(url)
    return len(own_queries(captured))


def _edit(post: Post, **fields: Any) -> None:
    post.refresh_from_db()
    services.post_save_draft(post_id=post.pk, version=post.version, by=None, fields=fields)


def test_built_ahead_a_first_reader_costs_the_post_and_one_read_of_its_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one, _, _ = _two_related()
    assert pieces.build([one.pk]) == 1
    assert set(_stamps(one)) == {"post-meta", "post:False:False", "post:False:True"}
    pagecache.clear_local()  # another process built them (the worker)
    monkeypatch.setattr(pagecache, "VERSION_RECHECK_SECONDS", 3600.0)
    _page("/other/")  # this process reads the versions once
    # The post's row, then its pieces in one read: no relation, no template.
    assert _queries("/one/") == 2
    assert "Two" in _page("/one/")  # the related card came from the kept piece
    member = Client()
    member.force_login(make_user(username="reader", email="reader@example.com"))
    with CaptureQueriesContext(connection) as captured:
        page = member.get("/one/").content.decode()
    # A member's first read: the session and the user, then the members' piece and the
    # members' footer (the row and the head piece are this process's copies since the
    # visitor's read).
    assert len(own_queries(captured)) == 4
    assert "Subscribe with my account's email" in page and "Two" in page
    assert PostPiece.objects.filter(post=one).count() == 3  # nothing built on the way


def test_a_members_only_post_is_built_locked_for_visitors_and_whole_for_members() -> None:
    post = published_post(slug="inner", title="Inner", visibility=Post.Visibility.MEMBERS)
    pieces.build([post.pk])
    pieces_of = dict(PostPiece.objects.filter(post=post).values_list("name", "html"))
    assert set(pieces_of) == {"post-meta", "post:True:False", "post:False:True"}
    assert "The rest of this post is for members" in pieces_of["post:True:False"]
    assert "The rest of this post is for members" not in pieces_of["post:False:True"]


def test_building_ahead_stores_no_page_in_the_page_cache(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 600
    one, _, _ = _two_related()
    caches["pages"].clear()
    pieces.build([one.pk])
    assert PostPiece.objects.filter(post=one).count() == 3
    assert Client().get("/one/")["X-Page-Cache"] == "miss"


def test_an_edit_of_an_unrelated_post_leaves_the_pieces_in_place() -> None:
    one, _, other = _two_related()
    _page("/one/")
    kept = _stamps(one)
    content_version = pagecache.version()
    _edit(other, title="Other, retitled")
    assert pagecache.version() != content_version  # the lists change...
    pagecache.clear_local()
    _page("/one/")
    assert _stamps(one) == kept  # ...this page's pieces do not


def test_a_shown_posts_new_title_reaches_the_related_card_at_once() -> None:
    _, two, _ = _two_related()
    assert "Two" in _page("/one/")
    _edit(two, title="Two, retitled")
    assert "Two, retitled" in _page("/one/")
    assert "Two, retitled" in _page("/two/")


def test_tag_and_author_changes_reach_the_pages_that_show_them() -> None:
    one, two, _ = _two_related()
    _page("/one/")
    services.post_set_tags(post=two, tags=[make_tag(name="Fresh topic", slug="fresh")])
    assert "Fresh topic" in _page("/one/") or two.pk not in Post.objects.get(pk=one.pk).related_ids
    _page("/two/")
    services.post_set_authors(post=two, authors=[make_author(display_name="Second Hand").user])
    assert "Second Hand" in _page("/two/")


def test_the_comment_count_on_the_page_follows_comments() -> None:
    one, _, _ = _two_related()
    assert "Read the comments and join in" in _page("/one/")
    reader = make_user(username="reader", email="reader@example.com")
    kept = _stamps(one)
    comments.comment_create(post=one, user=reader, raw_text="Well put.", ip="192.0.2.1")
    # A comment moves no content version (lists don't show counts), so a process that
    # kept the post's row shows the count once its copy of the row goes; the pieces
    # built before the comment never come back.
    pagecache.clear_local()
    assert "Read the 1 comment and join in" in _page("/one/")
    assert all(_stamps(one)[name] != stamp for name, stamp in kept.items())


def test_a_site_wide_change_and_other_code_move_the_stamp_an_edit_elsewhere_does_not(
    settings: Any,
) -> None:
    one, _, _ = _two_related()
    shelf = pieces.PostShelf(Post.objects.get(pk=one.pk))
    before = shelf.stamp(("post",))
    pagecache.bump()
    assert shelf.stamp(("post",)) == before
    pagecache.bump(site_wide=True)
    after_site = shelf.stamp(("post",))
    assert after_site != before
    settings.SITE_URL = "https://news.example.org"
    pieces.code_stamp.cache_clear()
    try:
        assert shelf.stamp(("post",)) != after_site
    finally:
        pieces.code_stamp.cache_clear()


def test_a_renamed_publication_is_built_into_every_post_by_the_worker(
    django_capture_on_commit_callbacks: Callable[..., Any], celery_eager: None
) -> None:
    one, two, other = _two_related()
    pieces.build([one.pk, two.pk, other.pk])
    kept = {post.pk: _stamps(post) for post in (one, two, other)}
    with django_capture_on_commit_callbacks(execute=True):
        publication.publication_update(values={"name": "The Renamed Gazette"})
    for post in (one, two, other):  # rebuilt ahead of readers, every piece
        fresh = _stamps(post)
        assert fresh.keys() == kept[post.pk].keys()
        assert all(fresh[name] != kept[post.pk][name] for name in fresh)
    html = PostPiece.objects.get(post=one, name="post-meta").html
    assert "The Renamed Gazette" in html
    assert "The Renamed Gazette" in _page("/one/")


def test_deleting_a_post_in_the_admin_takes_its_card_off_the_pages_showing_it(
    client: Client,
) -> None:
    login_past_totp(client, staff.superuser())
    one, two, _ = _two_related()
    assert "Two" in _page("/one/")
    before = Post.objects.get(pk=one.pk).pieces_version
    response = client.post(f"/admin/blog/post/{two.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Post.objects.get(pk=one.pk).pieces_version > before
    assert not PostPiece.objects.filter(post_id=two.pk).exists()


def test_a_piece_beside_nothing_is_an_error_not_a_piece_shared_between_posts() -> None:
    template = Template('{% load site_tags %}{% fragment "post" beside pieces %}x{% endfragment %}')
    with pytest.raises(TemplateSyntaxError, match="shelf is missing"):
        template.render(Context({}))


def test_with_fragments_off_nothing_is_kept(settings: Any) -> None:
    settings.FRAGMENT_CACHE_SECONDS = 0
    _two_related()
    assert "Two" in _page("/one/")
    assert not PostPiece.objects.exists()


def test_the_command_builds_every_live_post(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    _two_related()
    published_post(slug="draft", status=Post.Status.DRAFT, published_at=None)
    call_command("build_post_pieces")
    assert "Built the pieces of 3 post pages" in capsys.readouterr().out
    assert PostPiece.objects.values("post").distinct().count() == 3


def test_an_authors_deleted_account_leaves_their_bylines(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from masthead.members import services as members

    _, two, _ = _two_related()
    second = make_author(display_name="Gone Writer", slug="gone-writer")
    services.post_set_authors(
        post=Post.objects.get(pk=two.pk), authors=[*two.authors.all(), second.user]
    )
    assert "Gone Writer" in _page("/two/") and "Gone Writer" in _page("/one/")  # page and card
    with django_capture_on_commit_callbacks(execute=True):
        members.account_delete(user=second.user)
    assert "Gone Writer" not in _page("/two/")
    assert "Gone Writer" not in _page("/one/")


def test_a_deleted_account_takes_its_comments_off_the_count(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from masthead.members import services as members

    one, _, _ = _two_related()
    reader = make_user(username="reader", email="reader@example.com")
    comments.comment_create(post=one, user=reader, raw_text="Well put.", ip="192.0.2.1")
    pagecache.clear_local()
    assert "Read the 1 comment and join in" in _page("/one/")
    with django_capture_on_commit_callbacks(execute=True):
        members.account_delete(user=reader)
    assert Post.objects.get(pk=one.pk).comment_count == 0
    pagecache.clear_local()  # as for a new comment: no content version moves
    assert "Read the comments and join in" in _page("/one/")


def test_an_author_profile_moved_to_another_user_leaves_the_first_users_posts(
    client: Client,
) -> None:
    login_past_totp(client, staff.superuser())
    one, _, _ = _two_related()
    profile = Post.objects.get(pk=one.pk).authors.get().author_profile
    assert "Writer" in _page("/one/")
    other = make_user(username="other", email="other@example.com")
    response = client.post(
        f"/admin/blog/authorprofile/{profile.pk}/change/",
        {"user": other.pk, "display_name": "Writer", "slug": profile.slug, "bio": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "post-meta__authors" not in _page("/one/")  # the post's author has no profile now


def test_another_time_zone_moves_the_stamp(settings: Any) -> None:
    one, _, _ = _two_related()
    shelf = pieces.PostShelf(Post.objects.get(pk=one.pk))
    before = shelf.stamp(("post",))
    settings.TIME_ZONE = "Pacific/Auckland"  # the dates the pieces show are in this zone
    pieces.code_stamp.cache_clear()
    try:
        assert shelf.stamp(("post",)) != before
    finally:
        pieces.code_stamp.cache_clear()


def test_building_leaves_no_copies_in_the_building_process() -> None:
    """The worker renders pages nobody reads there: what it kept while rendering goes
    (a build of 5,000 posts left it 120 MB larger)."""
    one, two, other = _two_related()
    pieces.build([one.pk, two.pk, other.pk])
    assert PostPiece.objects.count() == 9
    assert pagecache.local_bytes() == 0
