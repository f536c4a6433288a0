"""The Ghost-compatible Content API, through Django's test client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from masthead.exchange import keys
from masthead.exchange.contentapi import ghost_id
from masthead.exchange.models import ContentKey
from tests.exchange.site import Site, build_site

pytestmark = pytest.mark.django_db

BASE = "/ghost/api/content"


@pytest.fixture
def site() -> Site:
    return build_site()


@pytest.fixture
def key() -> str:
    return keys.content_key_create(name="tests").key


def get(client: Client, path: str, key: str, **params: Any) -> Any:
    response = client.get(f"{BASE}/{path}", {"key": key, **params})
    return response


def slugs(body: dict[str, Any], name: str = "posts") -> list[str]:
    return [item["slug"] for item in body[name]]


def test_posts_browse_shape_and_pagination(client: Client, site: Site, key: str) -> None:
    response = get(client, "posts/", key, limit=2, include="tags,authors")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert slugs(body) == ["locks", "models"]
    assert body["meta"]["pagination"] == {
        "page": 1, "limit": 2, "pages": 2, "total": 4, "next": 2, "prev": None,
    }  # fmt: skip
    post = body["posts"][0]
    assert post["id"] == ghost_id(site.posts["locks"].pk) and len(post["id"]) == 24
    assert post["url"] == "https://masthead.test/locks/"
    assert [t["slug"] for t in post["tags"]] == ["security", "ai"]
    assert post["primary_tag"]["slug"] == "security"
    assert post["primary_author"]["slug"] == "ada"
    assert "<h2" in post["html"]
    assert post["published_at"].endswith("Z")
    page2 = get(client, "posts/", key, limit=2, page=2).json()
    assert slugs(page2) == ["phishing", "colour"]
    assert page2["meta"]["pagination"]["prev"] == 1 and page2["meta"]["pagination"]["next"] is None
    assert "tags" not in page2["posts"][0]


def test_drafts_are_never_listed(client: Client, site: Site, key: str) -> None:
    body = get(client, "posts/", key, limit="all", filter="slug:draft").json()
    assert body["posts"] == []
    assert get(client, "posts/slug/draft/", key).status_code == 404


def test_members_only_body_is_never_served_to_a_content_key(
    client: Client, site: Site, key: str, django_user_model: Any
) -> None:
    staff = django_user_model.objects.create(username="boss", is_staff=True, is_superuser=True)
    client.force_login(staff)  # even a signed-in editor's browser gets no body here
    body = get(client, "posts/slug/phishing/", key, formats="html,plaintext").json()
    post = body["posts"][0]
    assert post["html"] == "" and post["plaintext"] == "" and post["access"] is False
    assert post["visibility"] == "members"
    listing = get(client, "posts/", key, limit="all", formats="plaintext").json()
    assert "paid" not in str(listing)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("tag:security", ["locks", "phishing"]),
        ("tags:[security,design]", ["locks", "phishing", "colour"]),
        ("tag:-security", ["models", "colour"]),
        ("primary_tag:ai", ["models"]),
        ("author:ada", ["locks", "models", "colour"]),
        ("featured:true", ["locks"]),
        ("tag:security+featured:false", ["phishing"]),
        ("tag:design,featured:true", ["locks", "colour"]),
        ("slug:[locks,colour]", ["locks", "colour"]),
        ("visibility:members", ["phishing"]),
        ("(tag:ai,tag:design)+author:ada", ["locks", "models", "colour"]),
        ("slug:-[locks,colour,models]", ["phishing"]),
    ],
)
def test_filters(client: Client, site: Site, key: str, expr: str, expected: list[str]) -> None:
    body = get(client, "posts/", key, limit="all", filter=expr).json()
    assert slugs(body) == expected, expr


def test_primary_author_filter_agrees_with_primary_author(
    client: Client, site: Site, key: str
) -> None:
    listed = get(client, "posts/", key, limit="all", include="authors").json()["posts"]
    for author in ("ada", "grace"):
        expected = [p["slug"] for p in listed if p["primary_author"]["slug"] == author]
        body = get(client, "posts/", key, limit="all", filter=f"primary_author:{author}").json()
        assert slugs(body) == expected and expected


def test_filter_by_id_and_published_at(client: Client, site: Site, key: str) -> None:
    target = site.posts["models"]
    body = get(client, "posts/", key, filter=f"id:{ghost_id(target.pk)}").json()
    assert slugs(body) == ["models"]
    assert target.published_at is not None
    cut = (target.published_at + timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    newer = get(client, "posts/", key, filter=f"published_at:>'{cut}'").json()
    assert slugs(newer) == ["locks"]
    older = get(client, "posts/", key, filter=f"published_at:<='{cut}'").json()
    assert slugs(older) == ["models", "phishing", "colour"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"filter": "tag:("}, "invalid_filter"),
        ({"filter": "password:x"}, "invalid_filter"),
        ({"filter": "published_at:>yesterday"}, "invalid_filter"),
        ({"limit": "-1"}, "invalid_limit"),
        ({"page": "zero"}, "invalid_page"),
        ({"order": "body desc"}, "invalid_order"),
        ({"formats": "pdf"}, "invalid_formats"),
    ],
)
def test_bad_parameters_get_400_with_both_error_shapes(
    client: Client, site: Site, key: str, params: dict[str, str], code: str
) -> None:
    response = get(client, "posts/", key, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == code and body["ok"] is False
    assert body["errors"][0]["type"] == "BadRequestError"
    assert body["errors"][0]["message"] == body["error"]["message"]


def test_fields_order_and_limit_all(client: Client, site: Site, key: str, settings: Any) -> None:
    settings.MASTHEAD_CONTENT_API_MAX_LIMIT = 3
    body = get(client, "posts/", key, limit="all", fields="slug,title", order="title asc").json()
    assert body["posts"] == [
        {"slug": "colour", "title": "Colour for readers"},
        {"slug": "locks", "title": "Locks and keys"},
        {"slug": "models", "title": "Models at work"},
    ]
    assert body["meta"]["pagination"]["limit"] == 3 and body["meta"]["pagination"]["pages"] == 2


def test_tags_authors_settings_pages(client: Client, site: Site, key: str) -> None:
    tags = get(client, "tags/", key, include="count.posts", limit="all").json()
    assert [(t["slug"], t["count"]["posts"]) for t in tags["tags"]] == [
        ("ai", 2),
        ("design", 1),
        ("security", 2),
    ]  # fmt: skip  (the draft does not count)
    assert get(client, "tags/slug/ai/", key).json()["tags"][0]["name"] == "AI"
    authors = get(client, "authors/", key, include="count.posts").json()
    assert [(a["slug"], a["count"]["posts"]) for a in authors["authors"]] == [
        ("ada", 3), ("grace", 2),
    ]  # fmt: skip
    by_id = get(client, f"authors/{ghost_id(site.grace.user_id)}/", key).json()
    assert by_id["authors"][0]["name"] == "Grace Hopper"
    settings_body = get(client, "settings/", key).json()
    assert settings_body["settings"]["url"] == "https://masthead.test/"
    pages = get(client, "pages/", key).json()
    assert pages["pages"] == [] and pages["meta"]["pagination"]["total"] == 0


def test_keys_unknown_malformed_and_revoked(client: Client, site: Site, key: str) -> None:
    assert get(client, "posts/", "0" * 26).status_code == 401
    assert get(client, "posts/", "not-a-key").status_code == 401
    assert client.get(f"{BASE}/posts/").status_code == 401
    keys.content_key_revoke(key=key)
    response = get(client, "posts/", key)
    assert response.status_code == 401
    assert response.json()["errors"][0]["type"] == "UnauthorizedError"


def test_cors_preflight_and_writes_refused(client: Client, key: str) -> None:
    response = client.options(f"{BASE}/posts/", HTTP_ORIGIN="https://app.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert client.post(f"{BASE}/posts/?key={key}").status_code == 405


def test_answers_are_cached_and_edits_show_at_once(
    client: Client, site: Site, key: str, settings: Any, django_assert_max_num_queries: Any
) -> None:
    from masthead.blog import services

    settings.PAGE_CACHE_SECONDS = 60
    first = get(client, "posts/", key, limit="all").json()
    with django_assert_max_num_queries(2):  # the key check (and nothing for the answer)
        again = get(client, "posts/", key, limit="all").json()
    assert again == first
    post = site.posts["colour"]
    post.title = "Colour, again"
    post.save()
    services.post_after_save(post=post, old_slug=None, hero_changed=False)
    fresh = get(client, "posts/", key, limit="all").json()
    assert "Colour, again" in [p["title"] for p in fresh["posts"]]


def test_content_key_command(capsys: Any) -> None:
    call_command("content_key", "create", "Static site")
    printed = capsys.readouterr().out.strip()
    assert len(printed) == 26 and int(printed, 16) >= 0
    assert ContentKey.objects.get(key=printed).name == "Static site"
    call_command("content_key", "revoke", printed)
    assert ContentKey.objects.get(key=printed).revoked_at is not None
    assert keys.content_key_valid(printed) is False
