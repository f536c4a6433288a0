"""N03's on_commit half, N06 for a server that stops answering or drops the line, N13 at its
full size and T05's "token parser total" property, which the other newsletter tests leave
implicit or scaled down."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core import signing
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.newsletter import sending, tokens
from masthead.newsletter.models import Delivery
from tests.fixtures.smtp import MailSink, serve_smtp
from tests.newsletter.factories import make_issue, subscribers


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_eager_raising")
def test_a_send_rolled_back_with_its_transaction_mails_nobody(smtp_server: MailSink) -> None:
    """N03: the workers are nudged on commit, so a send whose transaction fails sends nothing
    (tasks run inline here: a nudge before the commit would deliver at once)."""
    subscribers(3)
    issue = make_issue()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sending.issue_send(issue_id=issue.pk) == 3
        raise RuntimeError("the request failed after the send was started")
    assert smtp_server.messages == [] and not Delivery.objects.exists()
    sending.issue_send(issue_id=issue.pk)  # the same issue goes out normally afterwards
    assert len(smtp_server.wait_for("r00000@example.com")) == 1
    assert Delivery.objects.filter(issue=issue, status="sent").count() == 3


class _Misbehaving:
    """An SMTP server that takes the message, then either never answers or hangs up."""

    def __init__(self, how: str) -> None:
        self.how = how
        self.data_seen = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.data_seen += 1
        if self.how == "reset":
            assert isinstance(server.transport, asyncio.Transport)
            server.transport.abort()  # the line drops mid-conversation
            return "421 gone"
        await asyncio.sleep(3)  # longer than the client's timeout
        return "250 OK"


@pytest.fixture(params=["timeout", "reset"])
def misbehaving_smtp(request: pytest.FixtureRequest, settings: Any) -> Iterator[_Misbehaving]:
    handler = _Misbehaving(request.param)
    controller = serve_smtp(handler, settings, timeout=1)
    try:
        yield handler
    finally:
        controller.stop(no_assert=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_eager_raising")
@pytest.mark.parametrize("attempt", ["first", "last"])
def test_a_server_that_stops_answering_or_hangs_up_is_retried_then_failed(
    misbehaving_smtp: _Misbehaving, settings: Any, attempt: str
) -> None:
    """N06: a timeout or a dropped connection during the message is a temporary failure:
    the row goes back to pending with a later attempt time, and on its last attempt it
    ends ``failed``; it is never counted as sent or bounced."""
    attempts_before = 0 if attempt == "first" else settings.MASTHEAD_NEWSLETTER_MAX_ATTEMPTS - 1
    [person] = subscribers(1)
    issue = make_issue(status="sending")
    before = timezone.now()
    Delivery.objects.create(
        issue=issue, subscriber=person, next_attempt_at=before, attempts=attempts_before
    )
    sending.delivery_send_batch(issue_id=issue.pk)
    assert misbehaving_smtp.data_seen == 1
    row = Delivery.objects.get()
    assert row.attempts == attempts_before + 1 and row.last_error.startswith("connection:")
    if attempt == "first":
        assert row.status == "pending"
        wait = (row.next_attempt_at - before).total_seconds()
        assert wait >= settings.MASTHEAD_NEWSLETTER_RETRY_BASE_MS / 2000 - 1
    else:
        assert row.status == "failed"
    person.refresh_from_db()
    assert person.status == "active" and person.hard_bounces == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_eager_raising")
def test_a_thousand_recipients_each_get_only_their_own_token(
    smtp_server: MailSink, settings: Any
) -> None:
    """N13 with the catalogue's 1,000 recipients (test_sending checks 40): every message
    carries its recipient's unsubscribe token and no one else's."""
    settings.MASTHEAD_NEWSLETTER_RATE = 0  # no pacing: the loopback sink is the only reader
    people = subscribers(1000)
    issue = make_issue()
    assert sending.issue_send(issue_id=issue.pk) == 1000
    own = {p.email: tokens.make(tokens.UNSUBSCRIBE, p.pk, issue.pk) for p in people}
    assert len(smtp_server.messages) == 1000
    link = re.compile(r"/newsletter/unsubscribe/([^/\s\"'<>]+)/")
    for mail in smtp_server.messages:
        [recipient] = mail.envelope_to
        for part in (mail.message["List-Unsubscribe"], mail.body(), mail.body("html")):
            assert set(link.findall(part)) == {own[recipient]}, recipient


_PURPOSES = st.sampled_from([tokens.CONFIRM, tokens.UNSUBSCRIBE])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=8,
)


def _read(purpose: str, token: str) -> tuple[int, int | None] | None:
    try:
        found = tokens.read(purpose, token)
    except tokens.BadTokenError:
        return None
    assert isinstance(found[0], int) and (found[1] is None or isinstance(found[1], int))
    return found


@settings(max_examples=1000, deadline=None)
@given(_PURPOSES, st.text(max_size=120))
def test_any_text_is_read_or_refused_as_a_bad_token(purpose: str, token: str) -> None:
    """T05: whatever arrives in the URL, reading it returns ids or raises BadTokenError."""
    assert _read(purpose, token) is None


@settings(max_examples=1000, deadline=None)
@given(_PURPOSES, _JSON)
def test_signed_payloads_of_any_shape_are_read_or_refused(purpose: str, payload: Any) -> None:
    """Even a correctly signed token (a leaked key, an old format) never crashes the view."""
    signer = signing.TimestampSigner if purpose == tokens.CONFIRM else signing.Signer
    _read(purpose, signer(salt=purpose).sign_object(payload))


@settings(max_examples=1000, deadline=None)
@given(_PURPOSES, st.integers(1, 2**40), st.one_of(st.none(), st.integers(1, 2**40)))
def test_tokens_round_trip_and_never_cross_purposes(
    purpose: str, subscriber: int, issue: int | None
) -> None:
    token = tokens.make(purpose, subscriber, issue)
    assert _read(purpose, token) == (subscriber, issue)
    other = tokens.UNSUBSCRIBE if purpose == tokens.CONFIRM else tokens.CONFIRM
    assert _read(other, token) is None
