"""With the shared cache down: pages render uncached, limits answer 503, /readyz sees it.

Finding 18 of issue 10: public pages and the subscribe form answered 500 while /healthz
stayed 200. The cache here is a real Redis client pointed at a port nobody listens on, or
(``redis`` group) a private redis-server that the test stops and starts again.
"""

from __future__ import annotations

import io
import re
import shutil
import socketserver
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from masthead.celery import app as celery_app
from masthead.core import pagecache
from masthead.newsletter.models import Subscriber
from masthead.tools.models import OcrJob
from tests import services
from tests.blog.factories import published_post
from tests.fixtures.smtp import free_port
from tests.tools import images

pytestmark = pytest.mark.django_db
NONCE = re.compile(r'<script[^>]* nonce="([^"]+)"')


def _redis_cache(port: int) -> dict[str, Any]:
    """Counters and pages on one Redis (the page store of its own, ADR 0022, on a second
    database number here: the outage reaches both alike)."""
    store = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    return {
        "default": {**store, "LOCATION": f"redis://127.0.0.1:{port}/0"},
        "pages": {**store, "LOCATION": f"redis://127.0.0.1:{port}/1"},
    }


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings: Any) -> Iterator[None]:
    settings.PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()
    yield
    pagecache.clear_local()


@pytest.fixture
def cache_down(settings: Any) -> None:
    settings.CACHES = _redis_cache(free_port())  # nothing listens there


@pytest.fixture
def cache_garbled(settings: Any) -> Iterator[None]:
    """Something else answers on the cache's port (a proxy's HTTP error, not Redis)."""

    class Reply(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(1024)
            self.request.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Reply)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CACHES = _redis_cache(server.server_address[1])
    yield
    server.shutdown()
    server.server_close()


def test_a_store_that_answers_garbage_counts_as_down(cache_garbled: None) -> None:
    published_post(slug="outage")
    page = Client().get("/outage/")
    _assert_real_page(page)
    assert page["X-Page-Cache"] == "off"
    subscribe = Client().post("/newsletter/subscribe/", {"email": "reader@example.com"})
    assert subscribe.status_code == 503


def _assert_real_page(response: Any) -> None:
    assert response.status_code == 200
    nonces = set(NONCE.findall(response.content.decode()))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in response["Content-Security-Policy"]


def test_public_pages_render_uncached_when_the_cache_is_down(cache_down: None) -> None:
    published_post(slug="outage", title="Still readable")
    for url in ("/", "/blog/", "/outage/", "/outage/"):
        response = Client().get(url)
        _assert_real_page(response)
        assert response["X-Page-Cache"] == "off"
    assert b"Still readable" in response.content


def test_subscribe_answers_503_when_its_limit_cannot_be_checked(cache_down: None) -> None:
    response = Client().post("/newsletter/subscribe/", {"email": "reader@example.com"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert Subscriber.objects.count() == 0


def test_ocr_rate_limit_answers_503_when_it_cannot_be_checked(cache_down: None) -> None:
    response = Client().post("/api/v1/ocr", {"file": io.BytesIO(images.png(300, 100))})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "queue_unavailable"
    assert response["Retry-After"]
    assert OcrJob.objects.count() == 0


def test_a_wrong_query_is_still_a_500_not_a_503(settings: Any) -> None:
    """Only "cannot reach the store" becomes 503; a bug must stay visible."""
    from django.db import IntegrityError

    from masthead.core.middleware import StoreUnavailableMiddleware

    middleware = StoreUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = Client().get("/").wsgi_request
    assert middleware.process_exception(request, IntegrityError("duplicate")) is None
    assert middleware.process_exception(request, ConnectionError("refused")) is not None


def test_readyz_reports_the_cache_down_while_healthz_stays_live(cache_down: None) -> None:
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "ok": False,
        "checks": {"database": "ok", "cache": "down", "broker": "ok"},
    }
    assert "refused" not in ready.content.decode().lower()
    assert Client().get("/healthz").status_code == 200


def test_readyz_reports_a_broker_that_is_down() -> None:
    conf = celery_app.conf
    before = {
        "broker_url": conf.broker_url,
        "broker_transport_options": conf.broker_transport_options,
    }
    conf.update(
        broker_url=f"redis://127.0.0.1:{free_port()}/0",
        broker_transport_options={"socket_connect_timeout": 0.5},
    )
    try:
        ready = Client().get("/readyz")
    finally:
        conf.update(before)
    assert ready.status_code == 503 and ready.json()["checks"]["broker"] == "down"


def test_readyz_is_200_when_every_store_answers() -> None:
    ready = Client().get("/readyz")
    assert ready.status_code == 200, ready.content
    assert ready.json() == {
        "ok": True,
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


class _RedisServer:
    """A private redis-server on a free port, so the test can stop it (never a shared one)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not services._port_open("127.0.0.1", self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server() -> Iterator[_RedisServer]:
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if services.in_ci():
            pytest.fail(message)
        pytest.skip(message)
    server = _RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.mark.redis
def test_pages_and_limits_follow_a_redis_that_stops_and_comes_back(
    redis_server: _RedisServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CACHES = _redis_cache(redis_server.port)
    monkeypatch.setattr(pagecache, "SHARED_RETRY_SECONDS", 0.0)
    published_post(slug="outage")
    assert [Client().get("/outage/")["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    assert Client().get("/readyz").status_code == 200

    redis_server.stop()
    pagecache.clear_local()  # this process's copies would still answer; test the store
    _assert_real_page(page := Client().get("/outage/"))
    assert page["X-Page-Cache"] == "off"
    subscribe = Client().post("/newsletter/subscribe/", {"email": "reader@example.com"})
    assert subscribe.status_code == 503
    assert Client().get("/readyz").json()["checks"]["cache"] == "down"

    redis_server.start()
    cache.close()
    assert [Client().get("/outage/")["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    assert Client().get("/readyz").status_code == 200
    assert Client().post("/newsletter/subscribe/", {"email": "r@example.com"}).status_code == 302
