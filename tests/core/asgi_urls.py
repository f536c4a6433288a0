"""URLs for tests/core/test_asgi_handler.py: a view that names its thread and cache client,
one that waits."""

import threading

from django.core.cache import caches
from django.http import HttpRequest, JsonResponse
from django.urls import path

RELEASE = threading.Event()


def thread_name(request: HttpRequest) -> JsonResponse:
    client = id(caches["default"])
    return JsonResponse({"thread": threading.current_thread().name, "cache": client})


def wait(request: HttpRequest) -> JsonResponse:
    released = RELEASE.wait(timeout=10)
    return JsonResponse({"thread": threading.current_thread().name, "released": released})


urlpatterns = [path("thread", thread_name), path("wait", wait)]
