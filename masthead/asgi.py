"""ASGI entry point, served by granian (Procfile; docs/decisions/0037).

An asyncio server reads request headers and bodies without holding a thread, so slow
clients cost a socket, not a worker; Django then runs each request's sync code in a
thread. ``BodyLimit`` refuses an oversized body before Django reads any of it.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
# Requests run on a fixed set of threads: PostgreSQL connections come from a pool each
# thread borrows per request, SQLite's stay open per thread (0037).
os.environ.setdefault("MASTHEAD_DB_POOL_SIZE", "10")
os.environ.setdefault("MASTHEAD_WEB_PROCESS", "1")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402 - after setup

from masthead.core.asgi_handler import RequestThreadsHandler  # noqa: E402

django_application = RequestThreadsHandler(settings.WEB_THREADS)

from masthead.body_limit import BodyLimit  # noqa: E402 - needs the configured settings
from masthead.core.warmup import warm  # noqa: E402 - needs the configured apps

application = BodyLimit(django_application)
warm()
