"""WSGI entry point, for WSGI servers and tools (the Procfile serves masthead.asgi, 0037)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
application = get_wsgi_application()

from masthead.core.warmup import warm  # noqa: E402 - needs the configured apps

warm()
