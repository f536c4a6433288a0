"""One audience (ADR 0308): sign-up offers the newsletter, the sign-up code activates it,
existing subscribers merge with members without losing state, importers never re-subscribe
someone who left, and the subscribe box answers in place (ADR 0307)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from masthead.newsletter import imports, services
from masthead.newsletter.imports import ImportedSubscriber
from masthead.newsletter.models import Subscriber
from tests.fixtures.smtp import MailSink
from tests.members.conftest import code_from

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]


@pytest.fixture(autouse=True)
def _cache_table() -> None:
    call_command("createcachetable", verbosity=0)
    cache.clear()


def _member(email: str, *, verified: bool = True) -> Any:
    user = get_user_model().objects.create_user(username=email.split("@")[0], email=email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def _sign_up(client: Client, smtp_server: MailSink, email: str, *, newsletter: bool) -> Any:
    data = {"email": email, "next": "/somewhere/"}
    if newsletter:
        data["offer_newsletter"] = "on"
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 302, response.content[:500]
    return response


def test_sign_up_with_the_box_ticked_subscribes_once_the_code_is_typed(
    client: Client, smtp_server: MailSink
) -> None:
    email = "ticked@example.com"
    _sign_up(client, smtp_server, email, newsletter=True)
    row = Subscriber.objects.get(email=email)
    assert row.status == "pending" and row.consent_source == "signup" and row.consent_at
    [mail] = smtp_server.wait_for(email)
    response = client.post("/accounts/confirm-email/", {"code": code_from(mail)})
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    row.refresh_from_db()
    assert row.status == "active" and row.user is not None and row.confirmed_at
    subjects = [m.subject for m in smtp_server.to(email)]
    assert not any("Confirm your subscription" in s for s in subjects)  # the code was proof


def test_sign_up_without_the_box_subscribes_nobody(client: Client, smtp_server: MailSink) -> None:
    _sign_up(client, smtp_server, "unticked@example.com", newsletter=False)
    assert not Subscriber.objects.filter(email="unticked@example.com").exists()


def test_sign_up_for_a_taken_address_changes_no_subscription(
    client: Client, smtp_server: MailSink
) -> None:
    user = _member("taken@example.com")
    Subscriber.objects.create(email="taken@example.com", status="unsubscribed", user=user)
    _sign_up(client, smtp_server, "taken@example.com", newsletter=True)
    assert Subscriber.objects.get(email="taken@example.com").status == "unsubscribed"


@pytest.mark.parametrize("status", ["pending", "unsubscribed", "bounced", "active"])
def test_verifying_an_address_links_the_subscriber_and_keeps_its_state(status: str) -> None:
    row = Subscriber.objects.create(email="old@example.com", status=status, source="footer")
    user = _member("old@example.com", verified=False)
    services.member_email_verified(user=user, email="Old@Example.com")
    row.refresh_from_db()
    assert (row.user_id, row.status) == (user.pk, status)


def test_migration_links_verified_members_only_and_keeps_every_state() -> None:
    verified, unverified = _member("v@example.com"), _member("u@example.com", verified=False)
    rows = {
        "v@example.com": Subscriber.objects.create(email="v@example.com", status="bounced"),
        "u@example.com": Subscriber.objects.create(email="u@example.com", status="active"),
    }
    migration = importlib.import_module("masthead.newsletter.migrations.0004_link_members")
    migration.link(global_apps, None)
    for row in rows.values():
        row.refresh_from_db()
    assert (rows["v@example.com"].user_id, rows["v@example.com"].status) == (verified.pk, "bounced")
    assert rows["u@example.com"].user_id is None and unverified.pk


def test_signed_in_member_subscribes_with_one_button_and_no_second_proof(
    client: Client, smtp_server: MailSink
) -> None:
    user = _member("button@example.com")
    Subscriber.objects.create(email="button@example.com", status="unsubscribed")
    client.force_login(user)
    page = client.get("/archive/").content.decode()
    assert "Subscribe with my account's email" in page
    assert "button@example.com" not in page  # members share one cached copy (ADR 0023)
    response = client.post("/newsletter/account/", {"on": "1", "next": "/archive/"})
    assert response["Location"] == "/archive/"
    row = Subscriber.objects.get(email="button@example.com")
    assert (row.status, row.consent_source, row.user_id) == ("active", "account", user.pk)
    assert "You get the weekly email at" in client.get("/accounts/").content.decode()
    evil = client.post("/newsletter/account/", {"on": "0", "next": "//evil.example/"})
    assert evil["Location"] == "/accounts/"


def test_merge_never_resubscribes_and_never_stops_anyone() -> None:
    Subscriber.objects.create(email="left@example.com", status="unsubscribed")
    Subscriber.objects.create(email="bounced@example.com", status="bounced")
    Subscriber.objects.create(email="here@example.com", status="active")
    Subscriber.objects.create(email="waiting@example.com", status="pending")
    since = datetime(2024, 5, 1, tzinfo=UTC)
    report = imports.subscribers_merge(
        records=[
            ImportedSubscriber("left@example.com", "active"),
            ImportedSubscriber("bounced@example.com", "active"),
            ImportedSubscriber("here@example.com", "unsubscribed"),
            ImportedSubscriber("waiting@example.com", "active"),
            ImportedSubscriber("new@example.com", "active", since),
            ImportedSubscriber("gone.elsewhere@example.com", "unsubscribed"),
            ImportedSubscriber("unconfirmed@example.com", "pending"),
            ImportedSubscriber("bad\r\nbcc@example.com", "active"),
        ],
        source="ghost",
    )
    status = dict(Subscriber.objects.values_list("email", "status"))
    assert status["left@example.com"] == "unsubscribed"
    assert status["bounced@example.com"] == "bounced"
    assert status["here@example.com"] == "active"
    assert status["waiting@example.com"] == "pending"
    assert status["new@example.com"] == "active"
    assert status["gone.elsewhere@example.com"] == "unsubscribed"
    assert "unconfirmed@example.com" not in status
    new = Subscriber.objects.get(email="new@example.com")
    assert (new.consent_at, new.consent_source, new.source) == (since, "ghost", "ghost")
    assert (report.created, report.kept_unsubscribed, report.already) == (1, 3, 2)
    assert (report.not_confirmed, report.invalid) == (1, 1)
    again = imports.subscribers_merge(records=[ImportedSubscriber("gone.elsewhere@example.com")])
    assert again.kept_unsubscribed == 1
    assert Subscriber.objects.get(email="gone.elsewhere@example.com").status == "unsubscribed"


JSON = {"Accept": "application/json"}


def test_in_place_subscribe_answers_json_the_same_for_every_state(
    client: Client, smtp_server: MailSink
) -> None:
    Subscriber.objects.create(email="active@example.com", status="active")
    answers = [
        client.post("/newsletter/subscribe/", {"email": email, "source": "post"}, headers=JSON)
        for email in ("new@example.com", "active@example.com")
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert answers[0].json()["message"].startswith("Check your inbox.")
    assert Subscriber.objects.get(email="new@example.com").consent_source == "post"


@pytest.mark.parametrize("email", ["a@example.com\r\nBcc: x@evil.example", "not-an-email", ""])
def test_in_place_subscribe_refuses_bad_addresses_with_the_envelope(
    client: Client, email: str
) -> None:
    response = client.post("/newsletter/subscribe/", {"email": email}, headers=JSON)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_email"
    assert Subscriber.objects.count() == 0


def test_in_place_subscribe_flood_is_limited_per_client_behind_a_proxy(
    client: Client, settings: Any
) -> None:
    settings.MASTHEAD_TRUSTED_PROXY_COUNT = 1
    settings.MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT = 3
    codes = []
    for n in range(5):  # a rotating spoofed left-most address does not reset the count
        headers = {"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.9", **JSON}
        response = client.post(
            "/newsletter/subscribe/", {"email": f"f{n}@example.com"}, headers=headers
        )
        codes.append(response.status_code)
    assert codes == [200, 200, 200, 429, 429]
    assert response.json()["error"]["code"] == "rate_limited" and response["Retry-After"]
    assert Subscriber.objects.count() == 3
    other = client.post(
        "/newsletter/subscribe/", {"email": "g@example.com"},
        headers={"X-Forwarded-For": "203.0.113.10", **JSON},
    )  # fmt: skip
    assert other.status_code == 200
