"""Webhooks against a real HTTP receiver on loopback: signatures, retries, time limits,
address checks, and the post and member events that start them."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from masthead.blog import services as blog_services
from masthead.blog.models import Post
from masthead.errors import MastheadError
from masthead.exchange import webhooks
from masthead.exchange.models import Webhook, WebhookDelivery
from masthead.newsletter import services as newsletter_services
from masthead.newsletter.models import Subscriber
from tests.blog.factories import build_post, make_user, published_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager_raising")]


class Receiver:
    """An HTTP server on 127.0.0.1 that records each call and answers from a script."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.answers: list[int] = []  # status codes to answer, in order; then 200
        self.delay = 0.0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.calls.append({"headers": dict(self.headers), "body": body, "path": self.path})
                if owner.delay:
                    time.sleep(owner.delay)
                code = owner.answers.pop(0) if owner.answers else 200
                # a delayed answer finds the sender gone (its timeout is what is tested)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(code)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/in?x=1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = True
    settings.MASTHEAD_WEBHOOK_RETRY_BASE_MS = 1
    settings.MASTHEAD_WEBHOOK_TIMEOUT = 1
    server = Receiver()
    yield server
    server.close()


def _hook(receiver: Receiver, *events: str) -> Webhook:
    return webhooks.webhook_create(
        name="Receiver", target_url=receiver.url, events=list(events) or webhooks.EVENTS
    )


def _verify(hook: Webhook, call: dict[str, Any]) -> None:
    """Check the signature as a Ghost webhook consumer does."""
    header = call["headers"]["X-Ghost-Signature"]
    sig_part, t_part = [part.strip() for part in header.split(",")]
    assert sig_part.startswith("sha256=") and t_part.startswith("t=")
    stamp = t_part[2:]
    expected = hmac.new(hook.secret.encode(), call["body"] + stamp.encode(), hashlib.sha256)
    assert hmac.compare_digest(sig_part[7:], expected.hexdigest())
    assert abs(int(stamp) - time.time() * 1000) < 60_000


def _sweep_until_settled(rounds: int = 10) -> None:
    for _ in range(rounds):
        time.sleep(0.01)
        webhooks.deliveries_sweep()
        if not WebhookDelivery.objects.filter(status__in=["pending", "sending"]).exists():
            return


# --- delivery -----------------------------------------------------------------------------


def test_publish_sends_signed_ghost_shaped_body(receiver, django_capture_on_commit_callbacks):
    hook = _hook(receiver, "post.published")
    post = published_post(status=Post.Status.DRAFT, published_at=None, title="Hello hooks")
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    [call] = receiver.calls
    _verify(hook, call)
    assert call["path"] == "/hooks/in?x=1"
    assert call["headers"]["X-Masthead-Event"] == "post.published"
    body = json.loads(call["body"])
    assert body["post"]["current"]["title"] == "Hello hooks"
    assert body["post"]["current"]["status"] == "published"
    assert body["post"]["current"]["id"] == f"{post.pk:024x}"
    assert body["post"]["previous"]["status"] == "draft"
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.status_code) == ("delivered", 1, 200)
    assert row.delivered_at is not None
    assert row.payload_sha256 == hashlib.sha256(call["body"]).hexdigest()
    assert call["headers"]["X-Masthead-Delivery"] == str(row.pk)


def test_a_tampered_body_fails_the_signature_check(receiver, django_capture_on_commit_callbacks):
    hook = _hook(receiver, "post.published")
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    [call] = receiver.calls
    call["body"] = call["body"].replace(b"published", b"draft")
    with pytest.raises(AssertionError):
        _verify(hook, call)


def test_server_error_is_retried_then_delivered(receiver, django_capture_on_commit_callbacks):
    _hook(receiver, "post.published")
    receiver.answers = [500, 503]
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.status_code) == ("pending", 1, 500)
    assert row.last_error == "The receiver answered 500."
    _sweep_until_settled()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.status_code) == ("delivered", 3, 200)
    assert len(receiver.calls) == 3
    assert len({call["body"] for call in receiver.calls}) == 1  # the same event each time


def test_attempts_stop_at_the_limit(receiver, settings, django_capture_on_commit_callbacks):
    settings.MASTHEAD_WEBHOOK_MAX_ATTEMPTS = 2
    _hook(receiver, "post.published")
    receiver.answers = [500, 500, 500]
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    _sweep_until_settled()
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts) == ("failed", 2)
    assert len(receiver.calls) == 2


def test_backoff_grows_and_is_capped(settings):
    settings.MASTHEAD_WEBHOOK_RETRY_BASE_MS = 10_000
    settings.MASTHEAD_WEBHOOK_RETRY_CAP = 60
    assert 5 <= webhooks.retry_delay(1) <= 10
    assert 20 <= webhooks.retry_delay(3) <= 40
    assert 30 <= webhooks.retry_delay(10) <= 60


def test_slow_receiver_times_out_and_is_retried(receiver, django_capture_on_commit_callbacks):
    _hook(receiver, "post.published")
    receiver.delay = 2.5
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    assert time.monotonic() - started < 2.4  # the 1 s limit, not the receiver's pace
    row = WebhookDelivery.objects.get()
    assert row.status == "pending" and row.attempts == 1
    assert row.last_error.startswith("No answer within 1 s")
    receiver.delay = 0
    _sweep_until_settled()
    row.refresh_from_db()
    assert row.status == "delivered"


def test_worker_killed_mid_attempt_is_sent_again_by_the_sweep(receiver):
    hook = _hook(receiver, "member.added")
    webhooks.event_record(event="member.added", payload={"member": {"current": {}}})
    row = WebhookDelivery.objects.get()
    # A worker claimed the row and died: 'sending', lease run out, nothing posted.
    WebhookDelivery.objects.filter(pk=row.pk).update(
        status="sending", attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert webhooks.deliveries_sweep() == {"revived": 1, "announced": 0, "enqueued": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("delivered", 2)
    _verify(hook, receiver.calls[0])


def test_lost_enqueue_is_sent_by_the_sweep(receiver):
    _hook(receiver, "member.added")
    # Written in a transaction whose on_commit never ran (the broker message was lost).
    webhooks.event_record(event="member.added", payload={"member": {"current": {}}})
    assert receiver.calls == []
    webhooks.deliveries_sweep()
    assert len(receiver.calls) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_turned_off_webhook_gets_nothing(receiver, django_capture_on_commit_callbacks):
    hook = _hook(receiver, "post.published")
    webhooks.webhook_set_active(webhook_id=hook.pk, active=False)
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    assert receiver.calls == []
    assert not WebhookDelivery.objects.exists()


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "bad_url"),
        ("ftp://example.com/hook", "bad_url"),
        ("http://example.com/hook", "https_required"),
        ("https://user:pw@example.com/hook", "bad_url"),
        ("https://example.com:99999/hook", "bad_url"),
        ("https:///hook", "bad_url"),
        ("https://127.0.0.1/hook", "private_address"),
        ("https://localhost:8443/hook", "private_address"),
        ("https://10.1.2.3/hook", "private_address"),
        ("https://192.168.0.10/hook", "private_address"),
        ("https://169.254.169.254/latest/meta-data/", "private_address"),
        ("https://[::1]/hook", "private_address"),
        ("https://[::ffff:127.0.0.1]/hook", "private_address"),
        ("https://[fd00::1]/hook", "private_address"),
        ("https://0.0.0.0/hook", "private_address"),
        ("https://no-such-host.invalid/hook", "unknown_host"),
    ],
)
def test_bad_and_private_addresses_are_refused(settings, url, code):
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = False
    with pytest.raises(webhooks.WebhookAddressError) as refused:
        webhooks.webhook_create(name="Hook", target_url=url, events=["post.published"])
    assert refused.value.code == code
    assert refused.value.status == 400
    assert refused.value.message
    assert not Webhook.objects.exists()


def test_public_address_is_accepted_without_network(settings):
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = False
    target = webhooks.target_resolve("https://93.184.215.14:8443/in")
    assert target.ips == ("93.184.215.14",) and target.port == 8443 and target.path == "/in"


def test_address_is_checked_again_when_sending(receiver, settings):
    """Saved while local addresses were allowed; a send after that is refused, not made."""
    _hook(receiver, "member.added")
    settings.MASTHEAD_WEBHOOK_ALLOW_LOCAL = False
    settings.MASTHEAD_WEBHOOK_MAX_ATTEMPTS = 1
    webhooks.event_record(event="member.added", payload={"member": {"current": {}}})
    webhooks.deliveries_sweep()
    row = WebhookDelivery.objects.get()
    assert row.status == "failed"
    assert "https" in row.last_error
    assert receiver.calls == []


def test_unknown_event_and_no_event_are_refused(receiver):
    with pytest.raises(MastheadError, match="Unknown event"):
        webhooks.webhook_create(name="Hook", target_url=receiver.url, events=["post.eaten"])
    with pytest.raises(MastheadError, match="at least one event"):
        webhooks.webhook_create(name="Hook", target_url=receiver.url, events=[])
    assert not Webhook.objects.exists()


# --- events -----------------------------------------------------------------------------------


def _events(receiver: Receiver) -> list[str]:
    return [call["headers"]["X-Masthead-Event"] for call in receiver.calls]


def test_update_unpublish_and_delete_send_their_events(
    receiver, django_capture_on_commit_callbacks
):
    _hook(receiver)
    post = published_post(title="Before")
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_save_draft(
            post_id=post.pk, version=post.version, by=None, fields={"title": "After"}
        )
    post.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="unpublish")
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="publish")
    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(pk=post.pk).delete()
    assert _events(receiver) == [
        "post.published.edited",
        "post.unpublished",
        "post.published",
        "post.deleted",
    ]
    edited = json.loads(receiver.calls[0]["body"])["post"]
    assert edited["current"]["title"] == "After" and edited["previous"] == {"title": "Before"}
    deleted = json.loads(receiver.calls[3]["body"])["post"]
    assert deleted["current"] == {} and deleted["previous"]["title"] == "After"


def test_autosave_and_draft_edits_send_nothing(receiver, django_capture_on_commit_callbacks):
    _hook(receiver)
    live = published_post()
    draft = published_post(status=Post.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_save_draft(
            post_id=live.pk, version=live.version, by=None, fields={"title": "Typing"},
            kind="autosave",
        )  # fmt: skip
        blog_services.post_save_draft(
            post_id=draft.pk, version=draft.version, by=None, fields={"title": "Draft"}
        )
    assert receiver.calls == []


def test_admin_bulk_publish_sends_one_event_per_post(receiver, django_capture_on_commit_callbacks):
    _hook(receiver, "post.published")
    drafts = [published_post(status=Post.Status.DRAFT, published_at=None) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.posts_set_status(posts=drafts, status=Post.Status.PUBLISHED)
    assert _events(receiver) == ["post.published", "post.published"]


def test_rolled_back_publish_sends_nothing(receiver, django_capture_on_commit_callbacks):
    _hook(receiver)
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        blog_services.post_publish_state(post=post, by=None, action="publish")
        raise RuntimeError("the email part of the publish failed")
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    webhooks.deliveries_sweep()
    assert receiver.calls == []


def test_member_signup_sends_member_added(
    receiver, client, smtp_server, django_capture_on_commit_callbacks
):
    hook = _hook(receiver, "member.added")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", {"email": "reader@example.com"})
    assert response.status_code == 302
    [call] = receiver.calls
    _verify(hook, call)
    member = json.loads(call["body"])["member"]
    assert member["current"]["email"] == "reader@example.com"
    assert member["current"]["status"] == "free"
    assert member["previous"] == {}


def test_confirmed_subscriber_without_account_is_a_new_member(
    receiver, django_capture_on_commit_callbacks
):
    _hook(receiver, "member.added")
    pending = Subscriber.objects.create(email="list@example.com")
    linked = Subscriber.objects.create(email="acct@example.com", user=make_user())
    with django_capture_on_commit_callbacks(execute=True):
        assert newsletter_services.subscriber_confirm(subscriber_id=pending.pk)
        assert newsletter_services.subscriber_confirm(subscriber_id=linked.pk)
        assert not newsletter_services.subscriber_confirm(subscriber_id=pending.pk)  # again
    [call] = receiver.calls
    member = json.loads(call["body"])["member"]["current"]
    assert member["email"] == "list@example.com" and member["subscribed"] is True


def test_no_webhooks_means_no_rows(django_capture_on_commit_callbacks):
    post = build_post(status=Post.Status.DRAFT, published_at=None)
    blog_services.post_render_body(post=post)
    post.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        blog_services.post_publish_state(post=post, by=None, action="publish")
    assert not WebhookDelivery.objects.exists()
    assert all("webhook" not in repr(callback) for callback in callbacks)


def test_scheduled_post_is_announced_once_when_its_time_comes(
    receiver, django_capture_on_commit_callbacks
):
    hook = _hook(receiver, "post.published")
    post = published_post(status=Post.Status.DRAFT, published_at=None, title="Later")
    soon = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.post_publish_state(post=post, by=None, action="schedule", when=soon)
    assert receiver.calls == []
    webhooks.deliveries_sweep()
    assert receiver.calls == []  # not yet due
    # The clock reaches the publish time (no write happens then).
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliveries_sweep()["announced"] == 1
        assert webhooks.deliveries_sweep()["announced"] == 0  # the next minute's sweep
    [call] = receiver.calls
    _verify(hook, call)
    current = json.loads(call["body"])["post"]["current"]
    assert current["title"] == "Later" and current["status"] == "published"


def test_scheduled_post_saved_with_a_past_time_is_announced_once(
    receiver, django_capture_on_commit_callbacks
):
    _hook(receiver, "post.published")
    post = published_post(status=Post.Status.DRAFT, published_at=None)
    post.status, post.published_at = Post.Status.SCHEDULED, timezone.now()
    before = {"status": "draft", "published_at": None}
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
        from masthead.blog import signals

        signals.post_changed_send(post=post, before=before)  # as the admin's save does
        webhooks.deliveries_sweep()
    assert _events(receiver) == ["post.published"]


def test_posts_live_before_the_webhook_existed_are_not_announced(receiver):
    published_post(status=Post.Status.SCHEDULED, published_at=timezone.now() - timedelta(hours=2))
    _hook(receiver, "post.published")
    assert webhooks.deliveries_sweep()["announced"] == 0
    assert receiver.calls == []


def test_events_cost_one_query_without_webhooks(receiver):
    """Measured: a publish's queries with the receiver unplugged, with no webhook, with one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.blog.signals import post_changed
    from masthead.exchange import webhook_events

    def publish_queries() -> int:
        post = published_post(status=Post.Status.DRAFT, published_at=None)
        with CaptureQueriesContext(connection) as queries:
            blog_services.post_publish_state(post=post, by=None, action="publish")
        return len(queries)

    post_changed.disconnect(dispatch_uid="exchange-post-changed")
    try:
        unplugged = publish_queries()
    finally:
        post_changed.connect(webhook_events.on_post_changed, dispatch_uid="exchange-post-changed")
    without = publish_queries()
    _hook(receiver, "post.published")
    with_one = publish_queries()
    print(f"publish queries: {unplugged} unplugged, {without} no webhook, {with_one} one")
    assert without == unplugged + 1  # the one look-up of active webhooks
    assert with_one > without
