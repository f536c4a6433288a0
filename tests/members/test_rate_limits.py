"""Sign-in rate limits (A01-A04, A21, A22) and the fail-closed store (decision 4, F08)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import types
from typing import Any

import pytest
from allauth.core.internal import ratelimit
from django.test import Client, RequestFactory

from tests import services
from tests.members.conftest import PASSWORD, make_member


def _login(
    client: Client, email: str, password: str, path: str = "/accounts/login/", **extra: Any
) -> Any:
    return client.post(path, {"login": email, "password": password}, **extra)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_sixth_attempt_within_five_minutes_is_429_even_with_right_password(client, member):
    for _ in range(5):
        response = _login(client, member.email, "wrong password here")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert not _signed_in(client)


def test_success_within_the_limit_does_not_raise_the_count(client, member):
    for _ in range(4):
        _login(client, member.email, "wrong password here")
    assert _login(client, member.email, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_limit_is_per_account_and_ignores_spoofed_forwarded_for(client, member):
    for number in range(5):
        _login(client, member.email, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    response = _login(client, member.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    # From another IP too: the account's counter is shared (A21/A22).
    response = _login(Client(REMOTE_ADDR="192.0.2.55"), member.email, PASSWORD)
    assert response.status_code == 429


def test_eleventh_failure_per_minute_from_one_ip_is_429(client):
    statuses = [
        _login(client, f"person{number}@example.com", "wrong password").status_code
        for number in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # Another IP is not affected.
    assert _login(Client(REMOTE_ADDR="192.0.2.99"), "x@example.com", "y").status_code == 200


def test_admin_login_shares_the_same_limits(client, member):
    for _ in range(3):
        assert _login(client, member.email, "wrong", path="/admin/login/").status_code == 200
    for _ in range(2):
        assert _login(client, member.email, "wrong").status_code == 200
    response = _login(client, member.email, PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert not _signed_in(client)


def test_admin_login_page_is_the_members_form(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_no_permanent_lockout_after_the_window(client, member, monkeypatch):
    for _ in range(5):
        _login(client, member.email, "wrong")
    assert _login(client, member.email, PASSWORD).status_code == 429
    later = time.time() + 301
    fake_time = types.SimpleNamespace(
        time=lambda: later, monotonic=time.monotonic, sleep=time.sleep
    )
    monkeypatch.setattr(ratelimit, "time", fake_time)
    assert _login(client, member.email, PASSWORD).status_code == 302
    assert _signed_in(client)


@pytest.mark.parametrize("exists", [True, False])
def test_code_requests_are_limited_per_address(smtp_server, member, exists):
    email = member.email if exists else "nobody@example.com"
    responses = [Client().post("/accounts/login/code/", {"email": email}) for _ in range(4)]
    assert [r.status_code for r in responses] == [302, 302, 302, 200]
    assert "Too many failed login attempts" in responses[3].content.decode()
    time.sleep(0.5)
    assert len(smtp_server.wait_for(email, count=3)) == 3


@pytest.mark.parametrize(
    ("path", "field"), [("/accounts/login/code/", "email"), ("/accounts/password/reset/", "email")]
)
def test_at_most_five_mails_per_hour_per_address(smtp_server, member, monkeypatch, path, field):
    start = time.time()
    statuses = []
    for minute in range(7):
        now = start + minute * 61  # one request a minute: under the per-minute limits
        monkeypatch.setattr(
            ratelimit,
            "time",
            types.SimpleNamespace(
                time=lambda now=now: now, monotonic=time.monotonic, sleep=time.sleep
            ),
        )
        statuses.append(Client().post(path, {field: member.email}).status_code)
    assert statuses[:5] == [302] * 5
    assert 302 not in statuses[5:]
    time.sleep(0.5)
    assert len(smtp_server.to(member.email)) == 5


def test_limiter_store_is_shared_between_processes(settings):
    """Limits must add up across web processes: no per-process or no-op cache (A21)."""
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


@pytest.mark.redis
def test_limits_hold_on_redis(client, member, settings):
    settings.CACHES = {
        **settings.CACHES,  # the pages store stays (every page's footer is a piece)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": services.REDIS_URL,
        },
    }
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert _login(client, member.email, "wrong").status_code == 200
    assert _login(Client(), member.email, PASSWORD).status_code == 429
    cache.clear()


_OTHER_PROCESS = """
import sys, django
django.setup()
from django.test import RequestFactory
from allauth.core.internal import ratelimit
request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.200")
for _ in range(int(sys.argv[2])):
    assert ratelimit.consume(request, app="allauth.account", action="login_failed", key=sys.argv[1])
"""


@pytest.mark.redis
def test_failures_in_another_process_count_here(client, member, settings):
    """Two web processes share the counters (A21): 5 failures elsewhere lock the account."""
    settings.CACHES = {
        **settings.CACHES,  # the pages store stays (every page's footer is a piece)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": services.REDIS_URL,
        },
    }
    from allauth.account.adapter import get_adapter
    from django.core.cache import cache

    cache.clear()
    request = RequestFactory().post("/accounts/login/")
    key = get_adapter(request)._get_login_attempts_cache_key(request, email=member.email)
    env = {**os.environ, "MASTHEAD_CACHE_URL": services.REDIS_URL}
    subprocess.run([sys.executable, "-c", _OTHER_PROCESS, key, "5"], env=env, check=True)
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 429
    cache.clear()


def test_login_fails_closed_when_the_limiter_store_is_down(client, member, settings):
    settings.CACHES = {
        **settings.CACHES,  # the pages store stays (every page's footer is a piece)
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    started = time.monotonic()
    response = _login(client, member.email, PASSWORD)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert time.monotonic() - started < 2
    assert not _signed_in(client)
    response = _login(client, member.email, PASSWORD, path="/admin/login/")
    assert response.status_code == 503
    assert client.post("/accounts/login/code/", {"email": member.email}).status_code == 503


def test_store_failure_mid_view_does_not_save_a_half_done_sign_in(rf: RequestFactory) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    from masthead.members.middleware import AuthPagesMiddleware

    request = rf.post("/accounts/login/code/confirm/")
    request.session = SessionStore()
    request.session["_auth_user_id"] = "1"  # the view had begun to sign in
    middleware = AuthPagesMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(request, OperationalError("database is locked"))
    assert response is not None and response.status_code == 503
    assert request.session.modified is False  # SessionMiddleware will not save it


def test_second_member_unaffected_by_first_members_lock(client, member):
    other = make_member("other@example.com")
    for _ in range(5):
        _login(client, member.email, "wrong")
    assert _login(Client(REMOTE_ADDR="192.0.2.10"), other.email, PASSWORD).status_code == 302


def test_signup_flood_from_one_ip_gets_429_with_retry_after(smtp_server):
    statuses = [
        Client().post("/accounts/signup/", {"email": f"flood{n}@example.com"}).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]
    response = Client().post("/accounts/signup/", {"email": "one-more@example.com"})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many attempts" in response.content.decode()


def test_a_lockout_is_logged_with_the_hashed_address_and_ip(client, member, caplog):
    """A25: the 429 of a lockout writes an audit line (never the address itself)."""
    from masthead.members.logs import email_hash

    for _ in range(5):
        _login(client, member.email, "wrong password here")
    with caplog.at_level("WARNING", logger="masthead.members.auth"):
        assert _login(client, member.email, PASSWORD).status_code == 429
    [line] = [r.getMessage() for r in caplog.records if "login_locked_out" in r.getMessage()]
    assert "what=password" in line
    assert f"email_hash={email_hash(member.email)}" in line
    assert "ip=127.0.0.1" in line
    assert member.email not in line
