"""Django's ASGI handler with a fixed set of request threads (docs/decisions/0037).

Django's own handler gives every request a thread of its own, created and joined per
request, and, since our middleware is synchronous, bounces each request between that
thread and the event loop around the view. Measured on the post page that plumbing (a
thread start and join, a database connection opened and closed, the loop hops) cost
about as much CPU as the render itself. Here each request runs, signals, middleware,
view and response close, on one of ``threads`` long-lived threads (the least busy),
in one synchronous middleware chain; each thread keeps its database connection between
requests under the usual ``CONN_MAX_AGE`` rules, and its cache clients: Django keeps those
per async context, and the server starts every request in a fresh one, so every request
built new clients (with Redis, a new connection pool and connection each time). Reading
the request body and writing the response stay on the event loop, so a slow client still
costs no thread.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.local import Local
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.cache import caches
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpRequest, HttpResponseBase


class RequestThreadsHandler(ASGIHandler):
    """ASGI handler that serves requests on ``threads`` persistent threads."""

    def __init__(self, threads: int) -> None:
        # BaseHandler's setup, skipping ASGIHandler's, which would build the async
        # middleware chain only for it to be replaced by this synchronous one.
        super(ASGIHandler, self).__init__()
        self.load_middleware(is_async=False)  # one synchronous chain, no loop hops inside
        self._executors = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"request-{n}")
            for n in range(max(threads, 1))
        ]
        self._busy = [0] * len(self._executors)
        # Cache clients per thread, as database connections are (see the module docstring);
        # tests/core/test_asgi_handler.py fails if Django moves this attribute.
        caches._connections = Local(thread_critical=True)  # type: ignore[attr-defined]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django serves HTTP only, not {scope['type']}")
        index = min(range(len(self._busy)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            # Every thread-sensitive call of this request (signals, the chain, closing
            # the response) runs on this executor's one thread.
            async with ThreadSensitiveContext(executor=self._executors[index]):
                await self.handle(scope, receive, send)
        finally:
            self._busy[index] -= 1

    async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
        return await sync_to_async(self.get_response)(request)
