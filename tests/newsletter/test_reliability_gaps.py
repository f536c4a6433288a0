"""N03's on_commit half, N13 at its full size and T05's "token parser total" property,
which the other newsletter tests leave implicit or scaled down."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import signing
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.newsletter import sending, tokens
from masthead.newsletter.models import Delivery
from tests.fixtures.smtp import MailSink
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
