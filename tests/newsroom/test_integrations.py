"""Integrations page: webhooks and Content API keys, for admins only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.exchange.models import ContentKey, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/newsroom/integrations/"),
    ("post", "/newsroom/integrations/webhooks/"),
    ("get", "/newsroom/integrations/webhooks/{hook}/"),
    ("post", "/newsroom/integrations/webhooks/{hook}/delete/"),
    ("post", "/newsroom/integrations/webhooks/{hook}/toggle/"),
    ("post", "/newsroom/integrations/keys/"),
    ("post", "/newsroom/integrations/keys/revoke/"),
]


@pytest.fixture
def admin(signed_in: Callable[..., Client]) -> Client:
    return signed_in("admin")


@pytest.fixture
def hook() -> Webhook:
    return Webhook.objects.create(
        name="Zapier", target_url="https://hooks.example.com/in", events=["post.published"],
        secret="s" * 64,
    )  # fmt: skip


@pytest.mark.parametrize("role", [None, "author", "editor"])
@pytest.mark.parametrize(("method", "path"), PAGES)
def test_only_admins_reach_integrations(signed_in, hook, role, method, path):
    client = signed_in(role)
    response = getattr(client, method)(
        path.format(hook=hook.pk),
        {"name": "X", "target_url": "https://8.8.8.8/", "events": "post.published", "key": "k"},
    )
    assert response.status_code == 403
    assert Webhook.objects.get().active and Webhook.objects.count() == 1
    assert not ContentKey.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/newsroom/integrations/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_nav_shows_integrations_to_admins_only(signed_in):
    assert b"/newsroom/integrations/" in signed_in("admin").get("/newsroom/").content
    assert (
        b"/newsroom/integrations/"
        not in signed_in("editor", "ed@example.com").get("/newsroom/").content
    )


def test_admin_adds_a_webhook_and_sees_its_secret_once(admin, settings):
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = True  # 127.0.0.1 resolves without a network
    response = admin.post(
        "/newsroom/integrations/webhooks/",
        {"name": "Build", "target_url": "http://127.0.0.1:9/build",
         "events": ["post.published", "post.deleted"]},
    )  # fmt: skip
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.events == ["post.published", "post.deleted"]
    assert hook.secret.encode() in response.content
    assert "not shown again" in response.content.decode()
    again = admin.get("/newsroom/integrations/")
    assert hook.secret.encode() not in again.content
    assert b"Build" in again.content


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.com/in", "https only"),
        ("https://127.0.0.1/in", "private or local address"),
        ("https://169.254.169.254/latest", "private or local address"),
        ("not a url", "must start with https://"),
    ],
)
def test_bad_webhook_address_is_refused_with_a_message(admin, url, message):
    response = admin.post(
        "/newsroom/integrations/webhooks/",
        {"name": "Bad", "target_url": url, "events": ["post.published"]},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert url.encode() in response.content  # the form keeps what was typed
    assert not Webhook.objects.exists()


def test_webhook_without_events_is_refused(admin):
    response = admin.post(
        "/newsroom/integrations/webhooks/", {"name": "None", "target_url": "https://8.8.8.8/"}
    )
    assert response.status_code == 400
    assert "at least one event" in response.content.decode()
    assert not Webhook.objects.exists()


def test_admin_reads_the_delivery_log_pauses_and_deletes(admin, hook):
    WebhookDelivery.objects.create(
        webhook=hook, event="post.published", payload="{}", payload_sha256="a" * 64,
        status="failed", attempts=6, status_code=500, last_error="The receiver answered 500.",
        next_attempt_at=timezone.now(),
    )  # fmt: skip
    log = admin.get(f"/newsroom/integrations/webhooks/{hook.pk}/")
    assert log.status_code == 200
    assert "The receiver answered 500." in log.content.decode()
    assert admin.post(f"/newsroom/integrations/webhooks/{hook.pk}/toggle/").status_code == 302
    assert not Webhook.objects.get().active
    assert admin.post(f"/newsroom/integrations/webhooks/{hook.pk}/delete/").status_code == 302
    assert not Webhook.objects.exists() and not WebhookDelivery.objects.exists()
    assert admin.get(f"/newsroom/integrations/webhooks/{hook.pk}/").status_code == 404


def test_admin_makes_and_revokes_a_content_key(admin):
    response = admin.post("/newsroom/integrations/keys/", {"name": "Front end"})
    assert response.status_code == 200
    key: Any = ContentKey.objects.get()
    assert key.key.encode() in response.content
    assert admin.get(f"/ghost/api/content/posts/?key={key.key}").status_code == 200
    response = admin.post("/newsroom/integrations/keys/revoke/", {"key": key.key})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert admin.get(f"/ghost/api/content/posts/?key={key.key}").status_code == 401


def test_key_without_a_name_or_unknown_key_is_refused(admin):
    response = admin.post("/newsroom/integrations/keys/", {"name": "  "})
    assert response.status_code == 400 and "Give the key a name" in response.content.decode()
    response = admin.post("/newsroom/integrations/keys/revoke/", {"key": "0" * 26})
    assert response.status_code == 404 and "no such Content API key" in response.content.decode()
    assert not ContentKey.objects.exists()
