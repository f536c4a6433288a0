"""The web process's ASGI handler: requests on a fixed set of threads (ADR 0037)."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.test import override_settings

from masthead.core.asgi_handler import RequestThreadsHandler
from tests.core import asgi_urls

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_test_urls"),
]


def _run[T](main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` on a thread of its own: an earlier test in this process (Playwright's
    sync API) may leave an event loop running on the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result(timeout=60)


@pytest.fixture
def _test_urls() -> Any:
    asgi_urls.RELEASE.clear()
    with override_settings(ROOT_URLCONF="tests.core.asgi_urls"):
        yield
    asgi_urls.RELEASE.set()


async def _get(
    app: RequestThreadsHandler, path: str, leave: asyncio.Event | None = None
) -> tuple[int, dict[str, Any]]:
    """One GET through the ASGI interface; ``leave`` set = the client hangs up."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 40000), "server": ("testserver", 80),
    }  # fmt: skip
    leave = leave or asyncio.Event()
    sent: list[dict[str, Any]] = []
    body_given = False

    async def receive() -> dict[str, Any]:
        nonlocal body_given
        if not body_given:
            body_given = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await leave.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    starts = [m for m in sent if m["type"] == "http.response.start"]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return (starts[0]["status"], json.loads(body)) if starts else (0, {})


def test_requests_reuse_one_long_lived_thread() -> None:
    app = RequestThreadsHandler(threads=3)

    async def three_in_turn() -> list[tuple[int, dict[str, Any]]]:
        return [await _get(app, "/thread") for _ in range(3)]

    answers = _run(three_in_turn)
    assert [status for status, _ in answers] == [200, 200, 200]
    names = {body["thread"] for _, body in answers}
    # One thread served all three (the least busy is the first), and it is not the
    # caller's: no thread is started per request.
    assert len(names) == 1
    assert names.pop().startswith("request-0")
    assert not any(name.startswith("ThreadPoolExecutor") for name in names)


def test_requests_in_fresh_contexts_share_their_thread_s_cache_client() -> None:
    """The server starts every request in an empty context (as granian does): the cache
    client must still be built once per thread, not once per request."""
    app = RequestThreadsHandler(threads=1)

    async def fresh_contexts() -> list[tuple[int, dict[str, Any]]]:
        return [
            await asyncio.create_task(_get(app, "/thread"), context=contextvars.Context())
            for _ in range(3)
        ]

    answers = _run(fresh_contexts)
    assert [status for status, _ in answers] == [200, 200, 200]
    assert len({body["cache"] for _, body in answers}) == 1


def test_a_waiting_request_does_not_hold_up_the_next() -> None:
    app = RequestThreadsHandler(threads=2)

    async def both() -> tuple[tuple[int, dict[str, Any]], tuple[int, dict[str, Any]]]:
        waiting = asyncio.create_task(_get(app, "/wait"))
        await asyncio.sleep(0.2)  # the first request is now inside its view
        quick = await asyncio.wait_for(_get(app, "/thread"), timeout=5)
        assert not waiting.done()
        asgi_urls.RELEASE.set()
        return await waiting, quick

    (wait_status, wait_body), (quick_status, quick_body) = _run(both)
    assert (wait_status, quick_status) == (200, 200)
    assert wait_body["released"] is True
    assert wait_body["thread"] != quick_body["thread"]


def test_a_client_that_hangs_up_mid_request_logs_no_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = RequestThreadsHandler(threads=1)

    async def hang_up_then_next() -> tuple[int, dict[str, Any]]:
        leave = asyncio.Event()
        gone = asyncio.create_task(_get(app, "/wait", leave))
        await asyncio.sleep(0.2)
        leave.set()  # the client leaves while the view still runs
        await asyncio.sleep(0.1)
        asgi_urls.RELEASE.set()  # the view finishes; its thread is free again
        assert await asyncio.wait_for(gone, timeout=5) == (0, {})
        return await asyncio.wait_for(_get(app, "/thread"), timeout=5)

    with caplog.at_level(logging.WARNING):
        status, body = _run(hang_up_then_next)
    assert status == 200
    assert body["thread"].startswith("request-0")
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
