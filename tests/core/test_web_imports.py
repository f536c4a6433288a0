"""A web process on the embedded defaults loads only what it serves with.

Each gunicorn worker pays for every module imported at start-up: the OCR engine's
numerical stack (~150 MB), Redis's client (~20 MB) and psycopg (~7 MB) stay out until a
request needs them (docs/decisions/0008).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from masthead.core.stores import store_errors

PROBE = """
import json, sys
from masthead.wsgi import application  # settings, apps and the middleware chain
from django.urls import get_resolver
get_resolver().url_patterns  # every URLconf and the views it imports
import io
from PIL import Image
from masthead import ocr
png = io.BytesIO()
Image.new("L", (40, 20), 255).save(png, "PNG")
ocr.check_upload_size(len(png.getvalue()), ocr.Limits())  # what a submit checks first
assert (ocr.sniff(png.getvalue()), ocr.count_pages(png.getvalue(), ocr.Limits())) == ("png", 1)
heavy = ("numpy", "onnxruntime", "cv2", "rapidocr", "pypdfium2", "redis", "psycopg", "sqlalchemy")
print(json.dumps([m for m in heavy if m in sys.modules]))
"""


def test_a_web_process_on_sqlite_loads_no_ocr_engine_redis_or_psycopg() -> None:
    """Not even after checking an image upload (size, type, page count)."""
    production = ("DATABASE_URL", "REDIS_URL", "MASTHEAD_CACHE_URL", "MASTHEAD_BROKER_URL")
    env = {k: v for k, v in os.environ.items() if k not in production}
    env["DJANGO_SETTINGS_MODULE"] = "masthead.settings"
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


WARM_PROBE = """
import json, sys
from masthead.wsgi import application  # warms at import, before any request
wanted = ("django.urls.resolvers", "masthead.tools.api", "masthead.ocr.load", "redis",
          "kombu.transport.redis", "masthead.tools.tasks", "celery.app.task")
print(json.dumps([m for m in wanted if m not in sys.modules]))
"""


def test_a_production_web_process_loads_its_request_path_before_serving() -> None:
    """URLconf, upload checks, Redis client and broker transport are loaded at start,
    without opening a connection: a store that is down cannot hold up a start-up."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("MASTHEAD_")}
        env.update(
            DJANGO_SETTINGS_MODULE="masthead.settings",
            MASTHEAD_SECRET_KEY="warm-up-test-" + "x" * 40,
            DATABASE_URL=f"postgres://nobody@127.0.0.1:{port}/none",
            MASTHEAD_CACHE_URL=f"redis://127.0.0.1:{port}/0",
            MASTHEAD_BROKER_URL=f"redis://127.0.0.1:{port}/1",
        )
        done = subprocess.run(
            [sys.executable, "-c", WARM_PROBE], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout.strip().splitlines()[-1]) == []
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody knocked: the backlog is empty
            listener.accept()


def test_store_errors_include_redis_once_its_client_is_loaded() -> None:
    import redis.exceptions

    assert redis.exceptions.RedisError in store_errors()
    assert OSError in store_errors()
