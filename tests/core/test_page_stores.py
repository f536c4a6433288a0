"""The page cache keeps to its own store and its bounds (ADR 0022).

Each test here failed on the code before: pages shared the rate-limit store and its cull
(400 cached pages re-allowed a locked-out sign-in), the version key took the store's
default 300 s expiry on its second bump, the per-process copies were bounded by count, not
bytes, and ``?page=N`` on a page without pages made a new entry per N.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from masthead.core import pagecache
from masthead.core.pagecache import public_page
from tests.blog.factories import published_post
from tests.members.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    pagecache.clear_local()


def _probe(size: int = 2000) -> Any:
    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"<p>" + b"x" * size + b"</p>")

    return view


def _churn(pages: int, size: int = 2000) -> None:
    """Page traffic: ``pages`` distinct anonymous pages, each rendered and stored."""
    view, factory = _probe(size), RequestFactory()
    for n in range(pages):
        assert view(factory.get(f"/churn-{n}/"))["X-Page-Cache"] == "miss"


def _login(client: Client, email: str, password: str) -> int:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return int(response.status_code)


def test_page_traffic_never_evicts_a_login_lockout() -> None:
    member = make_member("locked@example.com")
    client = Client()
    for _ in range(5):
        assert _login(client, member.email, "wrong password here") == 200
    assert _login(client, member.email, PASSWORD) == 429
    _churn(450)
    assert _login(Client(), member.email, PASSWORD) == 429


def test_page_traffic_never_evicts_a_counter_or_a_session() -> None:
    cache.set("probe:counter", 7, timeout=3600)
    session = SessionStore()
    session["ocr"] = True
    session.save()
    _churn(450)
    assert cache.get("probe:counter") == 7
    assert SessionStore(session_key=session.session_key).get("ocr") is True


def _version_expiry() -> float | None:
    """Seconds until the version key expires in the default store; None: never."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        client = cache._cache.get_client(pagecache.VERSION_KEY)  # type: ignore[attr-defined]
        ttl = client.ttl(cache.make_and_validate_key(pagecache.VERSION_KEY))
        assert ttl != -2, "the version key is missing"
        return None if ttl == -1 else float(ttl)
    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {table} WHERE cache_key = %s",  # nosec
            [cache.make_and_validate_key(pagecache.VERSION_KEY)],
        )
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite returns the column's text
        from django.utils.dateparse import parse_datetime

        expires = parse_datetime(expires)
    return None if expires.year >= 9999 else expires.timestamp() - time.time()


def test_the_version_never_expires_by_itself() -> None:
    for _ in range(3):
        pagecache.bump()
        assert _version_expiry() is None


def test_a_lost_version_never_comes_back_to_an_old_value() -> None:
    pagecache.bump()
    before = int(cache.get(pagecache.VERSION_KEY))
    cache.delete(pagecache.VERSION_KEY)
    pagecache.clear_local()
    published_post(slug="fresh")  # saving bumps again
    assert int(cache.get(pagecache.VERSION_KEY)) > before


def test_each_process_keeps_at_most_its_byte_budget(settings: Any) -> None:
    settings.PAGE_CACHE_LOCAL_BYTES = 1024 * 1024
    _churn(40, size=100_000)  # 4 MB of pages
    held = sum(len(body) for _, (_, body) in pagecache._local._data.values())
    assert 900_000 < held <= 1024 * 1024


def test_a_page_over_the_entry_limit_is_served_but_never_stored(settings: Any) -> None:
    settings.PAGE_CACHE_ENTRY_BYTES = 10_000
    view, request = _probe(20_000), RequestFactory().get("/big/")
    response = view(request)
    assert response.status_code == 200 and len(response.content) > 20_000
    assert "X-Page-Cache" not in response
    assert view(RequestFactory().get("/big/")).get("X-Page-Cache") is None


def test_page_numbers_on_a_page_without_pages_share_its_entry() -> None:
    published_post(slug="one")
    assert Client().get("/one/")["X-Page-Cache"] == "miss"
    for n in range(2, 6):
        assert Client().get("/one/", {"page": n})["X-Page-Cache"] == "hit"


def test_a_page_number_beyond_the_last_is_a_404_and_not_an_entry() -> None:
    published_post(slug="one")
    for url in ("/archive/", "/", "/blog/"):
        for _ in range(2):
            response = Client().get(url, {"page": 40})
            assert response.status_code == 404, url
            assert "X-Page-Cache" not in response
        assert Client().get(url, {"page": "1"})["X-Page-Cache"] == "miss"
        assert Client().get(url)["X-Page-Cache"] == "hit"  # page 1 is one entry
