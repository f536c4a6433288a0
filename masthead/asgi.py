"""ASGI entry point, for servers that prefer it (the Procfile serves masthead.wsgi)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
application = get_asgi_application()

from masthead.core.warmup import warm  # noqa: E402 - needs the configured apps

warm()
