"""Double opt-in, enumeration-proof responses, rate limits and signed links (N01, N02, N10, N11)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.newsletter import services, tokens
from masthead.newsletter.models import Subscriber
from tests.fixtures.smtp import MailSink

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager_raising")]


def _subscribe(client: Client, email: str, ip: str = "10.0.0.1", capture: Any = None) -> Any:
    with capture(execute=True):
        return client.post("/newsletter/subscribe/", {"email": email}, REMOTE_ADDR=ip)


def _link(text: str, kind: str) -> str:
    match = re.search(rf"http://127\.0\.0\.1:8000(/newsletter/{kind}/[^/\s]+/)", text)
    assert match, text
    return match.group(1)


def test_subscribe_creates_pending_and_emails_a_confirm_link(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    response = _subscribe(
        client, " Reader@Example.com ", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302 and response["Location"] == "/newsletter/thanks/"
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status) == ("reader@example.com", "pending")
    [mail] = smtp_server.wait_for("reader@example.com")
    assert "List-Unsubscribe" not in mail.message  # transactional: no list headers
    assert "List-Id" not in mail.message
    assert _link(mail.body(), "confirm") in mail.body("html")


def test_confirm_get_changes_nothing_and_post_activates_once(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    _subscribe(client, "reader@example.com", capture=django_capture_on_commit_callbacks)
    path = _link(smtp_server.wait_for("reader@example.com")[0].body(), "confirm")
    for method in (client.get, client.head):
        assert method(path).status_code == 200
    assert Subscriber.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 200
        assert client.post(path).status_code == 200  # idempotent
    assert Subscriber.objects.get().status == "active"
    mails = smtp_server.wait_for("reader@example.com", 2)
    assert [m.subject.startswith("Welcome") for m in mails] == [False, True]  # one welcome only


def test_responses_identical_for_every_state(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    Subscriber.objects.create(email="active@example.com", status="active")
    Subscriber.objects.create(email="pending@example.com", status="pending")
    Subscriber.objects.create(email="gone@example.com", status="unsubscribed")
    answers = set()
    for email in [
        "new@example.com",
        "active@example.com",
        "pending@example.com",
        "gone@example.com",
    ]:
        response = _subscribe(client, email, capture=django_capture_on_commit_callbacks)
        answers.add((response.status_code, response["Location"], response.content))
    assert len(answers) == 1
    assert Subscriber.objects.get(email="active@example.com").status == "active"
    assert Subscriber.objects.get(email="gone@example.com").status == "pending"  # asked again


def test_pending_resubscribe_does_not_resend_within_ten_minutes(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    for _ in range(3):
        _subscribe(client, "reader@example.com", capture=django_capture_on_commit_callbacks)
    smtp_server.wait_for("reader@example.com")
    assert len(smtp_server.to("reader@example.com")) == 1


STATES: dict[str, dict[str, Any]] = {  # a timedelta stands for "that long ago"
    "new": {},
    "pending, just mailed": {"status": "pending", "confirmation_sent_at": timedelta(0)},
    "pending, mailed long ago": {"status": "pending", "confirmation_sent_at": timedelta(days=2)},
    "active": {"status": "active"},
    "active, told today": {"status": "active", "notice_sent_at": timedelta(0)},
    "unsubscribed": {"status": "unsubscribed"},
    "bounced": {"status": "bounced"},
}


@pytest.mark.parametrize("state", sorted(STATES))
def test_every_state_does_the_same_work_in_the_request(
    client: Client, state: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Timing must not tell an active subscriber from a new address (finding 12): each
    request writes the row once and publishes one task, and the task decides the mail."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.newsletter import tasks

    if STATES[state]:
        now = timezone.now()
        fields = {k: now - v if isinstance(v, timedelta) else v for k, v in STATES[state].items()}
        Subscriber.objects.create(email="probe@example.com", **fields)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False) as published,
    ):
        response = client.post("/newsletter/subscribe/", {"email": "probe@example.com"})
    writes = [
        q["sql"].split()[0]
        for q in queries.captured_queries
        if "newsletter_subscriber" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert (response.status_code, response["Location"]) == (302, "/newsletter/thanks/")
    assert len(writes) == 1, writes
    assert [callback.func for callback in published] == [tasks.subscriber_reply.delay]


def test_active_subscriber_asked_again_gets_one_notice_a_day(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    subscriber = Subscriber.objects.create(email="reader@example.com", status="active")
    for _ in range(3):
        _subscribe(client, "reader@example.com", capture=django_capture_on_commit_callbacks)
    [mail] = smtp_server.wait_for("reader@example.com")
    assert "already" in mail.subject and "already" in mail.body()
    assert "List-Unsubscribe" not in mail.message  # transactional, like the confirmation
    assert _link(mail.body(), "unsubscribe") in mail.body("html")
    assert client.get(_link(mail.body(), "unsubscribe")).status_code == 200
    assert Subscriber.objects.get().status == "active"  # nothing changed

    Subscriber.objects.filter(pk=subscriber.pk).update(
        notice_sent_at=timezone.now() - services.NOTICE_AFTER
    )
    _subscribe(client, "reader@example.com", capture=django_capture_on_commit_callbacks)
    assert len(smtp_server.wait_for("reader@example.com", 2)) == 2  # the next day: one more


def test_reply_claims_each_mail_once() -> None:
    pending = Subscriber.objects.create(email="p@example.com", status="pending")
    active = Subscriber.objects.create(email="a@example.com", status="active")
    gone = Subscriber.objects.create(email="g@example.com", status="unsubscribed")
    kinds = [
        services.subscriber_reply(subscriber_id=row.pk)
        for row in (pending, pending, active, active, gone)
    ]
    assert kinds == ["confirm", "none", "notice", "none", "none"]
    later = timezone.now() + services.NOTICE_AFTER
    assert services.subscriber_reply(subscriber_id=pending.pk, now=later) == "confirm"
    assert services.subscriber_reply(subscriber_id=active.pk, now=later) == "notice"


@pytest.mark.parametrize("bad", ["", "not-an-email", "a@b", "x@example.com\r\nBcc: y@example.com"])
def test_invalid_email_is_a_400_and_stores_nothing(
    client: Client, bad: str, django_capture_on_commit_callbacks: Any
) -> None:
    response = _subscribe(client, bad, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert not Subscriber.objects.exists()


def test_subscribe_is_rate_limited_per_ip(
    client: Client, settings: Any, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT = 3
    codes = [
        _subscribe(
            client, f"r{i}@example.com", capture=django_capture_on_commit_callbacks
        ).status_code
        for i in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]
    other_ip = _subscribe(
        client, "x@example.com", ip="10.0.0.2", capture=django_capture_on_commit_callbacks
    )
    assert other_ip.status_code == 302
    assert Subscriber.objects.count() == 4


def test_subscribe_limit_counts_each_client_behind_the_proxy(
    client: Client, settings: Any, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    """With one trusted proxy, the limit counts the address the proxy saw (A22): two
    clients get two buckets, and a forged leftmost entry does not open a new one."""
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = 1
    settings.MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT = 2

    def post(email: str, forwarded: str) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/newsletter/subscribe/",
                {"email": email},
                REMOTE_ADDR="10.0.0.254",  # the load balancer
                HTTP_X_FORWARDED_FOR=forwarded,
            )
        return int(response.status_code)

    rotating = [post(f"a{n}@example.com", f"198.51.100.{n}, 203.0.113.1") for n in range(4)]
    assert rotating == [302, 302, 429, 429]
    assert post("b@example.com", "203.0.113.2") == 302
    assert post("b2@example.com", "2001:db8:1:2::1") == 302
    assert post("b3@example.com", "2001:db8:1:2::99") == 302  # same /64: same bucket
    assert post("b4@example.com", "2001:db8:1:2::abc") == 429


def test_footer_form_posts_without_csrf_token(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/newsletter/subscribe/", {"email": "reader@example.com"})
    assert response.status_code == 302
    page = strict.get("/newsletter/subscribe/")
    assert b"csrfmiddlewaretoken" not in page.content


def test_reminder_once_after_48_hours(
    smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    old = timezone.now() - timedelta(hours=49)
    Subscriber.objects.create(email="slow@example.com", confirmation_sent_at=old)
    Subscriber.objects.create(email="fresh@example.com", confirmation_sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscribers_remind() == 1
        assert services.subscribers_remind() == 0
    [mail] = smtp_server.wait_for("slow@example.com")
    assert mail.subject.startswith("Reminder")
    assert smtp_server.to("fresh@example.com") == []


@pytest.mark.parametrize("kind", ["confirm", "unsubscribe"])
def test_forged_truncated_or_swapped_tokens_are_400(client: Client, kind: str) -> None:
    subscriber = Subscriber.objects.create(email="reader@example.com", status="pending")
    confirm = tokens.make(tokens.CONFIRM, subscriber.pk)
    unsubscribe = tokens.make(tokens.UNSUBSCRIBE, subscriber.pk)
    good = confirm if kind == "confirm" else unsubscribe
    swapped = unsubscribe if kind == "confirm" else confirm
    forged = good[:-1] + ("A" if good[-1] != "A" else "B")
    for token in (swapped, forged, good[:10], "garbage", tokens.make(kind, subscriber.pk)):
        assert client.post(f"/newsletter/{kind}/{token}/").status_code == 400
    assert Subscriber.objects.get().status == "pending"


def test_unsubscribe_get_shows_a_page_and_changes_nothing(client: Client) -> None:
    subscriber = Subscriber.objects.create(email="reader@example.com", status="active")
    token = tokens.make(tokens.UNSUBSCRIBE, subscriber.pk)
    response = client.get(f"/newsletter/unsubscribe/{token}/")
    assert response.status_code == 200 and b"<form" in response.content
    assert response["Referrer-Policy"] == "no-referrer"
    assert Subscriber.objects.get().status == "active"


def test_old_unsubscribe_links_keep_working(client: Client) -> None:
    subscriber = Subscriber.objects.create(email="reader@example.com", status="active")
    token = tokens.make(tokens.UNSUBSCRIBE, subscriber.pk)
    # An unsubscribe token carries no expiry: reading it ignores its age entirely.
    assert tokens.read(tokens.UNSUBSCRIBE, token) == (subscriber.pk, None)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"/newsletter/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def test_box_included_twice_keeps_ids_unique_and_records_the_source() -> None:
    from django.template import Context, Template

    html = Template(
        '{% include "includes/_newsletter_box.html" %}'
        '{% include "includes/_newsletter_box.html" with newsletter_source="post" '
        'newsletter_id_suffix="-post" %}'
    ).render(Context({}))
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 4
    assert 'name="source" value="post"' in html and 'name="source" value="footer"' in html
    assert "csrfmiddlewaretoken" not in html
