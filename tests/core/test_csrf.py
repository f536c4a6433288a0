"""CSRF tokens from masthead.core.csrf: Django's format and contract, one random read."""

from __future__ import annotations

import re
import secrets
import string
from collections import Counter
from unittest import mock

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory

from masthead.core import csrf

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _protected_post(cookie: str, token: str) -> HttpResponse | None:
    """What CsrfViewMiddleware answers a POST carrying this cookie and token (None: allowed)."""
    request = RequestFactory().post("/", HTTP_X_CSRFTOKEN=token)
    request.COOKIES["csrftoken"] = cookie
    middleware = CsrfViewMiddleware(lambda _: HttpResponse())
    middleware.process_request(request)
    return middleware.process_view(request, lambda _: HttpResponse(), (), {})


def test_characters_are_django_s_and_uniform() -> None:
    drawn = csrf.random_chars(62_000)
    assert len(drawn) == 62_000
    assert set(drawn) <= set(string.ascii_letters + string.digits)
    counts = Counter(drawn)
    # Chi-square over 62 equally likely characters (61 degrees of freedom): a biased map
    # (e.g. byte % 62 without dropping bytes 248-255) scores in the hundreds.
    chi2 = sum((counts[c] - 1000) ** 2 / 1000 for c in string.ascii_letters + string.digits)
    assert chi2 < 150


def test_a_first_visit_gets_a_secret_for_the_cookie_and_a_token_the_middleware_accepts() -> None:
    request = RequestFactory().get("/")
    with mock.patch("secrets.token_bytes", wraps=secrets.token_bytes) as reads:
        token = csrf.token(request)
    assert reads.call_count == 1
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and len(token) == 64
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert _protected_post(secret, token) is None
    forged = _protected_post(secret, csrf.random_chars(64))
    assert forged is not None and forged.status_code == 403


def test_a_returning_reader_keeps_the_secret_with_a_fresh_mask_each_time() -> None:
    request: HttpRequest = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret = csrf.random_chars(32)
    first, second = csrf.token(request), csrf.token(request)
    assert request.META["CSRF_COOKIE"] == secret
    assert first != second
    assert _protected_post(secret, first) is None and _protected_post(secret, second) is None


@pytest.mark.django_db
def test_a_form_page_sets_the_cookie_and_its_token_posts() -> None:
    client = Client(enforce_csrf_checks=True)
    with mock.patch.object(csrf, "token", wraps=csrf.token) as made:
        page = client.get("/accounts/login/")
    assert made.called
    match = TOKEN.search(page.content.decode())
    assert match is not None and "csrftoken" in page.cookies
    refused = client.post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})
    assert refused.status_code == 403
    answered = client.post(
        "/accounts/login/",
        {"login": "nobody@example.com", "password": "x", "csrfmiddlewaretoken": match[1]},
    )
    assert answered.status_code == 200  # the form's own error, past the CSRF check
