"""Compressed responses, and none where a reader's secret could leak by size (ADR 0024)."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
import pytest
from django.core.cache import cache
from django.test import Client

from masthead.core import pagecache
from tests.blog.factories import published_post

pytestmark = pytest.mark.django_db
BODY = "\n\n".join(
    f"## Section {n}\n\nReading receipts with a machine takes patience and care, "
    f"paragraph {n} of many, with words that repeat as prose does." * 3
    for n in range(40)
)


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    pagecache.clear_local()


def _get(client: Client, url: str, encoding: str) -> Any:
    return client.get(url, HTTP_ACCEPT_ENCODING=encoding)


@pytest.mark.parametrize("cached", [False, True])
def test_post_pages_go_out_in_brotli_when_accepted(settings: Any, cached: bool) -> None:
    settings.PAGE_CACHE_SECONDS = 60 if cached else 0
    published_post(slug="long", body=BODY)
    plain = Client().get("/long/")
    for _ in range(2):  # a miss, then a hit
        response = _get(Client(), "/long/", "gzip, deflate, br, zstd")
        assert response["Content-Encoding"] == "br"
        assert "Accept-Encoding" in response["Vary"]
        html = brotli.decompress(response.content)
        assert b"Section 39" in html and html.count(b"<main") == 1
        assert len(response.content) < len(plain.content) / 4
        assert int(response["Content-Length"]) == len(response.content)


def test_gzip_when_brotli_is_not_accepted_and_nothing_when_neither_is() -> None:
    published_post(slug="long", body=BODY)
    response = _get(Client(), "/long/", "gzip;q=1.0, identity")
    assert response["Content-Encoding"] == "gzip"
    assert b"Section 39" in gzip.decompress(response.content)
    for header in ("identity", "gzip;q=0, br;q=0"):
        response = _get(Client(), "/long/", header)
        assert not response.has_header("Content-Encoding")
        assert b"Section 39" in response.content


def test_feeds_and_sitemaps_are_compressed() -> None:
    for n in range(5):
        published_post(slug=f"p{n}", body=BODY)
    for url in ("/feed/rss/", "/sitemap-posts.xml"):
        response = _get(Client(), url, "gzip")
        assert response["Content-Encoding"] == "gzip", url


@pytest.mark.parametrize("cached", [True, False])
def test_a_signed_in_readers_post_page_is_compressed(
    settings: Any, django_user_model: Any, cached: bool
) -> None:
    """With the page cache or without it: the page is the one every member gets."""
    settings.PAGE_CACHE_SECONDS = 60 if cached else 0
    published_post(slug="long", body=BODY)
    client = Client()
    client.force_login(django_user_model.objects.create(username="reader"))
    response = _get(client, "/long/", "br")
    assert response["Content-Encoding"] == "br"
    assert b'href="/accounts/"' in brotli.decompress(response.content)


def test_a_signed_in_readers_own_pages_are_never_compressed(django_user_model: Any) -> None:
    """Account pages hold the reader's own data next to text they typed: no compression."""
    user = django_user_model.objects.create(username="reader", email="reader@example.com")
    client = Client()
    client.force_login(user)
    for url in ("/accounts/", "/accounts/email/"):
        response = _get(client, url, "gzip, br")
        assert response.status_code == 200, url
        assert len(response.content) > 512 and b"reader@example.com" in response.content
        assert not response.has_header("Content-Encoding"), url


def test_requests_with_credentials_in_a_header_are_not_compressed() -> None:
    published_post(slug="long", body=BODY)
    response = _get(Client(), "/long/", "br")
    assert response["Content-Encoding"] == "br"
    response = Client().get("/long/", HTTP_ACCEPT_ENCODING="br", HTTP_AUTHORIZATION="Bearer x")
    assert not response.has_header("Content-Encoding")


def test_the_csrf_token_of_a_compressed_form_is_masked_per_response() -> None:
    """The one secret an anonymous page carries changes its bytes on every response."""
    import re

    client = Client()
    tokens = set()
    for _ in range(3):
        html = gzip.decompress(_get(client, "/accounts/login/", "gzip").content).decode()
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match is not None
        tokens.add(match.group(1))
    assert len(tokens) == 3
