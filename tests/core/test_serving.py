"""The web server as the Procfile starts it: slow clients, and bodies bounded before reading.

Ten slowloris connections (headers trickled two bytes at a time, never finished) used to
hold every thread of gunicorn's gthread workers, so the site stopped answering until they
gave up (issue 10, finding 8); ten slow upload bodies did the same. The Procfile's server
reads headers and bodies without a thread (docs/decisions/0037), so normal requests still
get their page. Django's ASGI handler reads a whole body before any view runs, so
``BodyLimit`` must refuse an oversized one first: these tests send them to the real server.
"""

from __future__ import annotations

import json
import re
import select
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import services
from tests.tools import stack
from tests.tools.stack import SlowClients, Stack

pytestmark = [pytest.mark.slow]

ANON_UPLOAD_LIMIT = 1024**2


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The Procfile's web process on make run's SQLite database, broker and cache."""
    tmp_path = tmp_path_factory.mktemp("serving")
    built = stack.build(
        tmp_path,
        MASTHEAD_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        MASTHEAD_CACHE_URL="",
        MASTHEAD_OCR_MAX_BYTES=str(ANON_UPLOAD_LIMIT),
    )
    built.manage("createcachetable")
    built.start_procfile_web()
    yield from stack.running(built)


def _get_seconds(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        response.read()
    return time.perf_counter() - started


@pytest.mark.parametrize("body", [False, True], ids=["slow-headers", "slow-upload-bodies"])
def test_pages_answer_while_ten_slow_clients_hold_connections(web: Stack, body: bool) -> None:
    with SlowClients(web.port, 10, body=body) as slow:
        time.sleep(1)  # they keep trickling bytes meanwhile
        seconds = [_get_seconds(f"{web.url}/") for _ in range(8)]
        seconds += [_get_seconds(f"{web.url}/healthz") for _ in range(4)]
        assert slow.connections >= 10
    assert max(seconds) < 2.0, seconds


def _response(sock: socket.socket) -> tuple[int, bytes]:
    """Status and body of the (small, closed-after) response on ``sock``."""
    sock.settimeout(5)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_declared_oversized_upload_is_refused_before_its_body_is_sent(web: Stack) -> None:
    with socket.create_connection(("127.0.0.1", web.port), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000000\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n"
        )
        status, body = _response(sock)  # not one byte of the 200 MB was sent
    assert status == 413
    assert json.loads(body)["error"]["code"] == "file_too_large"


def test_chunked_upload_is_cut_off_once_past_the_limit(web: Stack) -> None:
    chunk = b"x" * 256 * 1024
    sent = 0
    with socket.create_connection(("127.0.0.1", web.port), timeout=5) as sock:
        sock.sendall(
            b"POST /api/v1/ocr HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: multipart/form-data; boundary=b\r\n\r\n"
        )
        try:
            while sent < 64 * 1024**2 and not select.select([sock], [], [], 0)[0]:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
        except OSError:
            pass  # the server stopped reading and closed the connection
        status, body = _response(sock)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "file_too_large"
    # The server stopped reading near the bound (2.5 MB of form data + framing): what the
    # client got out beyond that is what the loopback's socket buffers hold unread, which
    # depends on how soon the server was scheduled, not on the limit.
    assert sent < 2.5 * 1024**2 + _socket_buffers() + 2 * 1024**2 < 64 * 1024**2


def _socket_buffers() -> int:
    """The most a TCP connection's send and receive buffers can hold (kernel maxima)."""
    total = 0
    for name in ("tcp_wmem", "tcp_rmem"):
        total += int(Path(f"/proc/sys/net/ipv4/{name}").read_text().split()[2])
    return total


def test_static_files_and_pages_are_served_whole(web: Stack) -> None:
    """WhiteNoise's file responses stream from a sync iterator, which Django's ASGI handler
    collects before sending: the stylesheet must still arrive complete."""
    with urllib.request.urlopen(f"{web.url}/", timeout=5) as response:
        page = response.read().decode()
    href = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert href, "the front page links no stylesheet"
    with urllib.request.urlopen(f"{web.url}{href.group(1)}", timeout=5) as response:
        assert response.status == 200
        body = response.read()
        assert len(body) == int(response.headers["Content-Length"]) > 0


@pytest.fixture(scope="module")
def web_on_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    """The Procfile's web process on a fresh PostgreSQL database of its own."""
    import psycopg

    server, name = services.POSTGRES_URL.rsplit("/", 1)
    name = f"{name}_serving_pool"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    built = stack.build(
        tmp_path_factory.mktemp("serving-pg"),
        DATABASE_URL=f"{server}/{name}",
        MASTHEAD_BROKER_URL=f"sqla+sqlite:///{tmp_path_factory.getbasetemp() / 'broker.sqlite3'}",
        MASTHEAD_CACHE_URL="",
        MASTHEAD_PAGE_CACHE_SECONDS="0",
    )
    built.manage("createcachetable")
    built.start_procfile_web()
    yield from ((s, name) for s in stack.running(built))


@pytest.mark.postgres
def test_concurrent_requests_share_a_bounded_number_of_database_connections(
    web_on_postgres: tuple[Stack, str],
) -> None:
    """Each request runs in a thread of its own under ASGI; a persistent connection per
    thread outlived its request, and 16 concurrent readers ran PostgreSQL out of them."""
    web, name = web_on_postgres
    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(lambda _: _status(f"{web.url}/"), range(240)))
    assert statuses == [200] * 240
    open_connections = web.rows(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()", name
    )[0][0]
    assert open_connections <= 2 * 10, open_connections  # 2 processes x MASTHEAD_DB_POOL_SIZE


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
