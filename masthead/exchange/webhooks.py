"""Webhooks: tell other systems when posts and members change, in Ghost's webhook dialect.

An event writes one ``WebhookDelivery`` row per subscribed webhook inside the transaction
that made the change (an aborted save sends nothing), and a Celery task is enqueued after
the commit. The task claims the row (pending → sending, with a lease), posts the stored
body signed like Ghost (``X-Ghost-Signature: sha256=<hex>, t=<ms>``) and records the answer;
a failure is tried again with exponential backoff up to ``MASTHEAD_WEBHOOK_MAX_ATTEMPTS``.
The sweep (beat, every minute, and at worker start) re-enqueues due rows whose message was
lost and puts rows whose worker died back to pending: at least once, never lost.

Addresses are checked when a webhook is saved and again at every attempt: https only, and
every address the name resolves to must be a public one. The request then connects to the
address that was checked, so a name that resolves elsewhere a moment later (DNS
rebinding) cannot steer it to the private network. ``MASTHEAD_WEBHOOK_ALLOW_LOCAL`` lifts
both rules for development and tests.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import random
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from masthead.errors import MastheadError
from masthead.exchange import tasks
from masthead.exchange.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)
D = WebhookDelivery.Status
EVENTS = [value for value, _ in Webhook.Event.choices]
USER_AGENT = "Masthead-Webhooks/1"
MAX_RESPONSE_READ = 4096  # bytes of the receiver's answer read before closing


# --- addresses ---------------------------------------------------------------------------


class WebhookAddressError(MastheadError):
    """The target address is malformed, not https, or points somewhere private."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message, status=400)


@dataclass(frozen=True)
class Target:
    """A checked address: where to connect (``ips``, in order) and what to ask for there."""

    scheme: str
    host: str
    port: int
    path: str
    ips: tuple[str, ...]


def _allow_local() -> bool:
    return bool(getattr(settings, "MASTHEAD_WEBHOOK_ALLOW_LOCAL", False))


def _public(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return bool(address.is_global) and not address.is_multicast


def target_parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of ``url``, or ``WebhookAddressError`` saying why not."""
    url = url.strip()
    if not url or len(url) > 2000:
        raise WebhookAddressError("bad_url", "Give the full address, starting with https://.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise WebhookAddressError("bad_url", f"That address cannot be read: {error}.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise WebhookAddressError("bad_url", "The address must start with https://.")
    if scheme == "http" and not _allow_local():
        raise WebhookAddressError(
            "https_required", "Webhooks are sent over https only: use an https:// address."
        )
    if parts.username is not None or parts.password is not None:
        raise WebhookAddressError(
            "bad_url", "Put no user name or password in the address; the secret signs each call."
        )
    host = (parts.hostname or "").rstrip(".")
    if not host or any(ch in host for ch in " \t\r\n"):
        raise WebhookAddressError("bad_url", "The address has no host name.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, host, port or (443 if scheme == "https" else 80), path


def target_resolve(url: str) -> Target:
    """Check ``url`` and resolve its host once; refuse it if any address is not public."""
    scheme, host, port, path = target_parse(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise WebhookAddressError(
            "unknown_host", f"The host name “{host}” cannot be found."
        ) from None
    ips = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not ips:
        raise WebhookAddressError("unknown_host", f"The host name “{host}” cannot be found.")
    if not _allow_local():
        private = [ip for ip in ips if not _public(ip)]
        if private:
            raise WebhookAddressError(
                "private_address",
                f"“{host}” points to a private or local address ({private[0]}); "
                "webhooks go to public addresses only.",
            )
    return Target(scheme=scheme, host=host, port=port, path=path, ips=tuple(ips))


def _connect(ips: tuple[str, ...], port: int, timeout: float | None) -> socket.socket:
    """A socket to the first of the checked addresses that answers (never a fresh lookup)."""
    failure: OSError = OSError("no address to connect to")
    for ip in ips:
        try:
            return socket.create_connection((ip, port), timeout)
        except TimeoutError:
            raise
        except OSError as error:
            failure = error
    raise failure


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked addresses while naming the host in ``Host``."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._ips = target.ips

    def connect(self) -> None:
        self.sock = _connect(self._ips, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address; the certificate is verified for the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._ips = target.ips

    def connect(self) -> None:
        raw = _connect(self._ips, self.port, self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


# --- webhooks ----------------------------------------------------------------------------


def webhook_create(*, name: str, target_url: str, events: list[str]) -> Webhook:
    """A new webhook with a fresh secret (the caller shows it once)."""
    name = name.strip()
    if not name:
        raise MastheadError("invalid_name", "Give the webhook a name.", status=400)
    chosen = [event for event in EVENTS if event in set(events)]
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise MastheadError("bad_event", f"Unknown event “{unknown[0]}”.", status=400)
    if not chosen:
        raise MastheadError("no_events", "Pick at least one event to send.", status=400)
    target_resolve(target_url)
    return Webhook.objects.create(
        name=name[:120],
        target_url=target_url.strip(),
        events=chosen,
        secret=secrets.token_hex(32),
    )


def webhook_delete(*, webhook_id: int) -> None:
    deleted, _ = Webhook.objects.filter(pk=webhook_id).delete()
    if not deleted:
        raise MastheadError("not_found", "There is no such webhook.", status=404)


def webhook_set_active(*, webhook_id: int, active: bool) -> None:
    if not Webhook.objects.filter(pk=webhook_id).update(active=active):
        raise MastheadError("not_found", "There is no such webhook.", status=404)


def signature(*, secret: str, body: bytes, timestamp_ms: int) -> str:
    """Ghost's header value: HMAC-SHA256 over the body followed by the timestamp."""
    digest = hmac.new(secret.encode(), body + str(timestamp_ms).encode(), hashlib.sha256)
    return f"sha256={digest.hexdigest()}, t={timestamp_ms}"


# --- events ------------------------------------------------------------------------------


def subscribers_of(event: str) -> list[Webhook]:
    return [hook for hook in Webhook.objects.filter(active=True) if event in hook.events]


def event_record(
    *,
    event: str,
    payload: dict[str, Any],
    hooks: list[Webhook] | None = None,
    once_key: str = "",
) -> int:
    """One delivery row per active webhook for ``event``, written in the caller's
    transaction; the sending is enqueued only once that commits. With ``once_key``, a
    webhook that already has a row under that key gets no second one."""
    hooks = subscribers_of(event) if hooks is None else hooks
    if not hooks:
        return 0
    body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for hook in hooks:
            try:
                with transaction.atomic():
                    row = WebhookDelivery.objects.create(
                        webhook=hook, event=event, payload=body, payload_sha256=digest,
                        next_attempt_at=now, once_key=once_key,
                    )  # fmt: skip
            except IntegrityError:  # this moment was announced to this webhook already
                continue
            made += 1
            transaction.on_commit(partial(_enqueue, row.pk))
        Webhook.objects.filter(pk__in=[hook.pk for hook in hooks]).update(last_triggered_at=now)
    return made


def _enqueue(delivery_id: int, countdown: float = 0) -> None:
    """Publish a nudge; a lost one is picked up by the sweep. In eager mode a delayed retry
    is left to the sweep instead of sleeping in the caller."""
    if countdown > 0 and tasks.webhook_deliver.app.conf.task_always_eager:
        return
    try:
        tasks.webhook_deliver.apply_async((delivery_id,), countdown=countdown)
    except Exception:  # noqa: BLE001 - the broker being down must not fail the edit; the sweep sends it
        logger.warning("webhook delivery %s not enqueued; the sweep will send it", delivery_id)


# --- sending -----------------------------------------------------------------------------


def retry_delay(attempts: int) -> float:
    """Exponential backoff with equal jitter, capped."""
    base = settings.MASTHEAD_WEBHOOK_RETRY_BASE_MS / 1000
    delay = min(float(settings.MASTHEAD_WEBHOOK_RETRY_CAP), base * 2 ** max(attempts - 1, 0))
    return float(delay / 2 + random.uniform(0, delay / 2))  # noqa: S311 - jitter, not security


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    # Past the task's hard time limit the worker is gone, so a row still 'sending' then
    # is safe to send again: two workers never post the same attempt at once.
    lease = now + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    won = WebhookDelivery.objects.filter(
        pk=delivery_id, status=D.PENDING, next_attempt_at__lte=now
    ).update(status=D.SENDING, lease_until=lease, attempts=F("attempts") + 1, updated_at=now)
    if not won:
        return None
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)


def _post(hook: Webhook, delivery: WebhookDelivery) -> int:
    """Send the stored body once; the receiver's status code (raises on network errors)."""
    target = target_resolve(hook.target_url)
    body = delivery.payload.encode()
    stamp = int(time.time() * 1000)
    timeout = float(settings.MASTHEAD_WEBHOOK_TIMEOUT)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target, timeout)
    else:
        connection = _PinnedHTTPConnection(target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "X-Ghost-Signature": signature(secret=hook.secret, body=body, timestamp_ms=stamp),
                "X-Masthead-Event": delivery.event,
                "X-Masthead-Delivery": str(delivery.pk),
            },
        )
        response = connection.getresponse()
        response.read(MAX_RESPONSE_READ)
        return int(response.status)
    finally:
        connection.close()


def delivery_attempt(*, delivery_id: int) -> str | None:
    """Try one due delivery once; the status it ends in (None if it was not ours to send)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    hook = delivery.webhook
    code: int | None = None
    error = ""
    if not hook.active:
        return _finish(delivery, D.FAILED, error="The webhook was turned off.")
    try:
        code = _post(hook, delivery)
        if not 200 <= code < 300:
            error = f"The receiver answered {code}."
    except WebhookAddressError as refused:
        error = refused.message
    except TimeoutError:
        error = f"No answer within {settings.MASTHEAD_WEBHOOK_TIMEOUT} s (the time limit)."
    except ssl.SSLError as failure:
        error = f"TLS failed: {failure.reason or failure}"
    except (OSError, http.client.HTTPException) as failure:
        error = f"Could not deliver: {failure.__class__.__name__}: {failure}"
    if not error:
        return _finish(delivery, D.DELIVERED, code=code)
    if delivery.attempts >= settings.MASTHEAD_WEBHOOK_MAX_ATTEMPTS:
        return _finish(delivery, D.FAILED, code=code, error=error)
    wait = retry_delay(delivery.attempts)
    _finish(delivery, D.PENDING, code=code, error=error, retry_in=wait)
    _enqueue(delivery.pk, countdown=wait)
    return D.PENDING


def _finish(
    delivery: WebhookDelivery,
    status: str,
    *,
    code: int | None = None,
    error: str = "",
    retry_in: float = 0,
) -> str:
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk, status=D.SENDING).update(
        status=status,
        lease_until=None,
        status_code=code,
        last_error=error[:300],
        delivered_at=now if status == D.DELIVERED else None,
        next_attempt_at=now + timedelta(seconds=retry_in),
        updated_at=now,
    )
    log = logger.info if status == D.DELIVERED else logger.warning
    log("webhook delivery=%s event=%s %s %s", delivery.pk, delivery.event, status, error)
    return status


def deliveries_sweep(*, limit: int = 500) -> dict[str, int]:
    """Beat, every minute, and at worker start: rows whose worker died go back to pending
    (they may arrive twice, never not at all); scheduled posts whose time came are
    announced; due rows get a fresh nudge."""
    now = timezone.now()
    revived = WebhookDelivery.objects.filter(status=D.SENDING, lease_until__lt=now).update(
        status=D.PENDING, lease_until=None, last_error="The worker stopped during the attempt."
    )
    from masthead.exchange import webhook_events  # it imports this module

    announced = webhook_events.scheduled_posts_announce(now=now)
    due = WebhookDelivery.objects.filter(status=D.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    for delivery_id in ids:
        _enqueue(delivery_id)
    return {"revived": revived, "announced": announced, "enqueued": len(ids)}
