"""ASGI entry point, served by granian (Procfile; docs/decisions/0037).

An asyncio server reads request headers and bodies without holding a thread, so slow
clients cost a socket, not a worker; Django then runs each request's sync code in a
thread. ``BodyLimit`` refuses an oversized body before Django reads any of it.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
# A request's thread lives as long as the request: share pooled connections (0037).
os.environ.setdefault("MASTHEAD_DB_POOL_SIZE", "10")
django_application = get_asgi_application()

from masthead.body_limit import BodyLimit  # noqa: E402 - needs the configured settings
from masthead.core.warmup import warm  # noqa: E402 - needs the configured apps

application = BodyLimit(django_application)
warm()
