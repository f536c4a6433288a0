"""What readers get from each page, and the 404s and redirects around them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from masthead.blog import services
from masthead.blog.models import Post
from tests.blog.factories import make_author, make_tag, published_post

pytestmark = pytest.mark.django_db

BODY = """\
Opening words.

## Why it matters

Text.[^1]

::: tool ocr

## What to do

More text.

[^1]: A note.
"""


@pytest.fixture
def post() -> Post:
    security, privacy = make_tag("Cybersecurity", "cybersecurity"), make_tag("Privacy", "privacy")
    author = make_author(display_name="Tomás Lindqvist", slug="tomas")
    return published_post(
        slug="passkeys", title="Passkeys in practice", body=BODY, tags=[security, privacy],
        authors=[author],
    )  # fmt: skip


def test_post_page_shows_what_a_reader_expects(client: Any, post: Post) -> None:
    page = client.get("/passkeys/").content.decode()
    assert 'class="category" href="/tag/cybersecurity/">Cybersecurity</a>' in page
    assert "1 min read" in page
    assert '<a href="#why-it-matters">Why it matters</a>' in page  # table of contents
    assert 'class="tool-card"' in page and 'href="/tools/ocr/"' in page
    assert "tool-slot" not in page
    for name in (
        "x.com/intent/post",
        "linkedin.com",
        "facebook.com",
        "reddit.com",
        "news.ycombinator.com",
        "mailto:?",
    ):
        assert name in page
    assert "data-copy-link" in page and "data-web-share" in page
    assert "Stay in the loop" in page
    assert 'href="/author/tomas/">Tomás Lindqvist</a>' in page


def test_post_page_seo(client: Any, post: Post) -> None:
    page = client.get("/passkeys/").content.decode()
    assert '<link rel="canonical" href="https://masthead.test/passkeys/">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card"' in page
    assert '"@type":"BlogPosting"' in page and '"@type":"BreadcrumbList"' in page
    assert '<link rel="alternate" type="text/markdown" href="/passkeys.md">' in page


def test_canonical_override_is_used(client: Any) -> None:
    published_post(slug="syndicated", canonical_url="https://elsewhere.example/original")
    page = client.get("/syndicated/").content.decode()
    assert '<link rel="canonical" href="https://elsewhere.example/original">' in page


def test_drafts_and_future_posts_are_not_found(client: Any) -> None:
    published_post(slug="draft", status=Post.Status.DRAFT)
    published_post(
        slug="later", status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get("/draft/").status_code == 404
    assert client.get("/later/").status_code == 404
    assert client.get("/draft.md").status_code == 404


def test_scheduled_post_appears_once_its_time_has_passed(client: Any) -> None:
    published_post(
        slug="due", status=Post.Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get("/due/").status_code == 200


def test_old_slug_redirects_permanently(client: Any, post: Post) -> None:
    post.slug = "passkeys-rollout"
    post.save()
    services.post_after_save(post=post, old_slug="passkeys", hero_changed=False)
    response = client.get("/passkeys/")
    assert response.status_code == 301 and response["Location"] == "/passkeys-rollout/"
    md = client.get("/passkeys.md")
    assert md.status_code == 301 and md["Location"] == "/passkeys-rollout.md"


def test_taking_a_slug_back_stops_its_redirect(client: Any, post: Post) -> None:
    post.slug = "renamed"
    post.save()
    services.post_after_save(post=post, old_slug="passkeys", hero_changed=False)
    post.slug = "passkeys"
    post.save()
    services.post_after_save(post=post, old_slug="renamed", hero_changed=False)
    assert client.get("/passkeys/").status_code == 200
    assert client.get("/renamed/")["Location"] == "/passkeys/"


def test_markdown_alternate(client: Any, post: Post) -> None:
    response = client.get("/passkeys.md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Passkeys in practice")
    assert "## Why it matters" in text and "Category: Cybersecurity" in text


def test_members_only_post_shows_excerpt_and_signup(client: Any) -> None:
    published_post(
        slug="secret", excerpt="The teaser.", body="## Inside\n\nThe hidden body text.",
        visibility=Post.Visibility.MEMBERS,
    )  # fmt: skip
    page = client.get("/secret/").content.decode()
    assert "The teaser." in page and 'href="/accounts/signup/?next=/secret/"' in page
    assert "hidden body text" not in page
    assert "hidden body text" not in client.get("/secret.md").content.decode()


def test_members_only_post_is_readable_when_signed_in(client: Any, django_user_model: Any) -> None:
    published_post(slug="secret", body="The hidden body text.", visibility=Post.Visibility.MEMBERS)
    client.force_login(django_user_model.objects.create(username="reader"))
    assert "hidden body text" in client.get("/secret/").content.decode()


def test_home_lists_featured_and_latest_with_pagination(client: Any) -> None:
    for n in range(12):
        published_post(slug=f"p{n}", title=f"Title {n}", featured=n == 3)
    page = client.get("/").content.decode()
    assert "Featured" in page and "Title 3" in page
    assert 'href="?page=2"' in page
    assert client.get("/?page=2").status_code == 200
    assert client.get("/?page=9").status_code == 404
    assert client.get("/?page=abc").status_code == 404


def test_tag_author_archive_and_list_pages(client: Any, post: Post) -> None:
    assert "Passkeys in practice" in client.get("/tag/cybersecurity/").content.decode()
    assert "Passkeys in practice" in client.get("/tag/privacy/").content.decode()
    assert "Passkeys in practice" in client.get("/author/tomas/").content.decode()
    assert "Passkeys in practice" in client.get("/archive/").content.decode()
    assert "Passkeys in practice" in client.get("/blog/").content.decode()
    assert client.get("/tag/nope/").status_code == 404
    assert client.get("/author/nope/").status_code == 404


def test_related_posts_share_tags(client: Any, post: Post) -> None:
    privacy = post.ordered_tags[1]
    published_post(slug="near", title="Near neighbour", tags=[privacy])
    published_post(slug="far", title="Far away", tags=[make_tag()])
    page = client.get("/passkeys/").content.decode()
    assert "Near neighbour" in page and "Far away" not in page


def test_search_page(client: Any, post: Post) -> None:
    page = client.get("/search/", {"q": "passkeys"}).content.decode()
    assert "1 result for" in page and "Passkeys in practice" in page
    empty = client.get("/search/", {"q": "zzzzqqq"}).content.decode()
    assert "Nothing matched" in empty
    assert client.get("/search/", {"q": '"AND OR NOT ( * :'}).status_code == 200


def test_unknown_page_is_a_friendly_404(client: Any) -> None:
    response = client.get("/no-such-post/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
