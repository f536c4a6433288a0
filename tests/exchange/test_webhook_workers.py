"""A real Celery worker SIGKILLed in the middle of a webhook call: the event is not lost.

The worker posts to a receiver that holds the first call open; the worker is killed while
it waits. Once the row's lease has run out, the next worker's start-up sweep sends the
same signed body again, and the receiver gets it (at least once, never zero times).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.celery import app as celery_app
from masthead.exchange import webhooks
from masthead.exchange.models import WebhookDelivery
from tests import services
from tests.exchange.test_webhooks import Receiver, _verify
from tests.fixtures.django_env import repoint_broker
from tests.newsletter.conftest import Workers, worker_db  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def webhook_workers(worker_db: str, tmp_path: Path) -> Iterator[Workers]:  # noqa: F811
    env = {
        **os.environ,
        "DATABASE_URL": worker_db,
        "MASTHEAD_BROKER_URL": services.REDIS_URL,
        "MASTHEAD_SECRET_KEY": settings.SECRET_KEY,
        "MASTHEAD_VAR_DIR": str(tmp_path),
        "MASTHEAD_WEBHOOK_ALLOW_LOCAL": "1",
        "MASTHEAD_WEBHOOK_TIMEOUT": "30",
        "OMP_THREAD_LIMIT": "1",
    }
    env.pop("MASTHEAD_SECRET_KEY_FILE", None)
    before = celery_app.conf.broker_url
    repoint_broker(services.REDIS_URL)
    pool = Workers(env, tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()
        repoint_broker(before)


def _wait(check: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_worker_killed_mid_call_does_not_lose_the_event(
    webhook_workers: Workers, settings: Any
) -> None:
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = True
    receiver = Receiver()
    try:
        receiver.delay = 20  # the first call hangs: the worker is inside the attempt
        hook = webhooks.webhook_create(name="R", target_url=receiver.url, events=["member.added"])
        worker = webhook_workers.start()
        with transaction.atomic():
            webhooks.event_record(event="member.added", payload={"member": {"current": {}}})
        _wait(lambda: len(receiver.calls) == 1)
        webhook_workers.kill(worker)
        row = WebhookDelivery.objects.get()
        assert (row.status, row.attempts) == ("sending", 1)
        # Time passes beyond the lease (the task's hard time limit plus a minute).
        WebhookDelivery.objects.filter(pk=row.pk).update(lease_until=timezone.now())
        receiver.delay = 0
        webhook_workers.start()  # its start-up sweep finds the row
        _wait(lambda: WebhookDelivery.objects.get().status == "delivered")
    finally:
        receiver.close()
    row = WebhookDelivery.objects.get()
    assert row.attempts == 2 and row.status_code == 200
    first, second = receiver.calls
    assert first["body"] == second["body"] == row.payload.encode()
    assert json.loads(second["body"]) == {"member": {"current": {}}}
    assert second["headers"]["X-Masthead-Delivery"] == str(row.pk)
    _verify(hook, second)
