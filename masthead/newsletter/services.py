"""Subscriber writes: subscribe (double opt-in), confirm, unsubscribe, remind.

Every path answers the same way whatever state the address is in, so a form response never
tells a visitor whether someone is subscribed. Emails are sent by tasks after the commit.

A subscribe request does the same work whatever the address's state (one locked read, one
write, one task published after the commit), so its timing tells nothing either; which
email, if any, the request earns is decided by that task (``subscriber_reply``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from masthead.core.clientip import limit_key
from masthead.newsletter import signals, tasks
from masthead.newsletter.models import Delivery, Issue, Subscriber

logger = logging.getLogger(__name__)
RESEND_AFTER = timedelta(minutes=10)  # at most one confirmation per address per 10 minutes
NOTICE_AFTER = timedelta(days=1)  # at most one "already subscribed" notice per address a day
S = Subscriber.Status


class InvalidEmailError(ValueError):
    """Not an email address we can send to."""


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or any(char in email for char in "\r\n\x00 "):
        raise InvalidEmailError("Enter a valid email address.")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidEmailError("Enter a valid email address.") from None
    return email


def subscribe_allowed(*, ip: str) -> bool:
    """A fixed one-hour window per client (``limit_key``: the IPv4 address or the IPv6
    /64) in the shared cache, so every web process counts."""
    key = f"newsletter:subscribe:{limit_key(ip)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return bool(count <= settings.MASTHEAD_NEWSLETTER_SUBSCRIBE_LIMIT)


def subscriber_subscribe(*, email: str, source: str = "footer", user: Any = None) -> None:
    """Start (or restart) double opt-in for ``email``; an active subscriber stays active.

    Every state takes the same steps, so the response time does not tell a visitor whether
    the address is subscribed: the row is read under a lock (or inserted), written once, and
    ``subscriber_reply`` is published after the commit. The task decides what to send.
    """
    email = normalise_email(email)
    with transaction.atomic():
        now = timezone.now()
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"source": source, "user": user, "consent_at": now, "consent_source": source},
        )
        if subscriber.user_id is None and user is not None:
            subscriber.user = user
        if subscriber.status in {S.UNSUBSCRIBED, S.BOUNCED}:  # asked again: opt in again
            subscriber.status = S.PENDING
            subscriber.confirmation_sent_at = None
            subscriber.reminder_sent_at = None
        if subscriber.status == S.PENDING:  # an active subscriber's consent stays as given
            subscriber.consent_at, subscriber.consent_source = now, source
        if not created:  # the INSERT was a new address's one write
            subscriber.save()
        transaction.on_commit(partial(tasks.subscriber_reply.delay, subscriber.pk))


def subscriber_reply(*, subscriber_id: int, now: datetime | None = None) -> str:
    """Claim the one email a subscribe request earns and publish it; return its kind.

    A pending address gets the confirmation (at most once per ``RESEND_AFTER``), an active
    one a short "you're already subscribed" notice with its unsubscribe link (at most once
    per ``NOTICE_AFTER``, so the form cannot be used to flood someone's inbox). Each claim
    is one conditional UPDATE, so concurrent requests never send two.
    """
    current = now or timezone.now()
    rows = Subscriber.objects.filter(pk=subscriber_id)
    with transaction.atomic():
        due = Q(confirmation_sent_at__isnull=True) | Q(
            confirmation_sent_at__lte=current - RESEND_AFTER
        )
        if rows.filter(due, status=S.PENDING).update(
            confirmation_sent_at=current, reminder_sent_at=None
        ):
            transaction.on_commit(partial(tasks.subscriber_send_confirmation.delay, subscriber_id))
            return "confirm"
        due = Q(notice_sent_at__isnull=True) | Q(notice_sent_at__lte=current - NOTICE_AFTER)
        if rows.filter(due, status=S.ACTIVE).update(notice_sent_at=current):
            transaction.on_commit(partial(tasks.subscriber_send_notice.delay, subscriber_id))
            return "notice"
    return "none"


def subscriber_signup_opt_in(*, user: Any, source: str = "signup") -> None:
    """A new member ticked "send me the newsletter" on the sign-up form.

    The address is not proven yet, so the row waits as pending, marked with the consent's
    time and source; ``member_email_verified`` activates it when the member types the
    sign-up code (that code proves the address, so no second confirmation email is sent).
    An address that left or bounced asked again here, as on the subscribe form.
    """
    email = normalise_email(getattr(user, "email", "") or "")
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"source": source}
        )
        subscriber.user = user
        if subscriber.status != S.ACTIVE:
            subscriber.status = S.PENDING
            subscriber.consent_at, subscriber.consent_source = timezone.now(), source
        subscriber.save()


def member_email_verified(*, user: Any, email: str) -> None:
    """A member proved ``email``: link the subscriber row with that address to them, and
    start mail for a sign-up opt-in waiting on this proof. Any other state is kept."""
    email = email.strip().lower()
    with transaction.atomic():
        Subscriber.objects.filter(email=email, user__isnull=True).update(user=user)
        waiting = Subscriber.objects.filter(
            email=email, user=user, status=S.PENDING, consent_source="signup"
        ).values_list("pk", flat=True)
        for subscriber_id in list(waiting):
            subscriber_confirm(subscriber_id=subscriber_id)


def subscriber_confirm(*, subscriber_id: int) -> bool:
    """Pending → active (and a welcome email). Confirming again changes nothing."""
    with transaction.atomic():
        updated = Subscriber.objects.filter(pk=subscriber_id, status=S.PENDING).update(
            status=S.ACTIVE, confirmed_at=timezone.now(), hard_bounces=0
        )
        if updated:
            transaction.on_commit(partial(tasks.subscriber_send_welcome.delay, subscriber_id))
            subscriber = Subscriber.objects.get(pk=subscriber_id)
            signals.subscriber_confirmed.send(sender=Subscriber, subscriber=subscriber)
    return bool(updated)


def subscriber_unsubscribe(*, subscriber_id: int, issue_id: int | None = None) -> None:
    """Stop all newsletter mail now. Senders re-check the status under a row lock, so no
    message leaves after this commits."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None or subscriber.status == S.UNSUBSCRIBED:
            return
        subscriber.status = S.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        if issue_id is not None and Issue.objects.filter(pk=issue_id).exists():
            subscriber.unsubscribed_from_id = issue_id
        subscriber.save()
        Delivery.objects.filter(subscriber_id=subscriber_id, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, lease_until=None
        )
    logger.info("newsletter unsubscribe subscriber=%s issue=%s", subscriber_id, issue_id)


def subscribers_remind(*, now: datetime | None = None) -> int:
    """Send the one reminder to addresses still pending after the reminder delay."""
    current = now or timezone.now()
    cutoff = current - timedelta(hours=settings.MASTHEAD_NEWSLETTER_REMINDER_HOURS)
    ids = list(
        Subscriber.objects.filter(
            status=S.PENDING, confirmation_sent_at__lte=cutoff, reminder_sent_at__isnull=True
        ).values_list("pk", flat=True)[:1000]
    )
    sent = 0
    for subscriber_id in ids:
        with transaction.atomic():  # conditional update: two beats never remind twice
            claimed = Subscriber.objects.filter(
                pk=subscriber_id, status=S.PENDING, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=current)
            if claimed:
                sent += 1
                transaction.on_commit(
                    partial(tasks.subscriber_send_confirmation.delay, subscriber_id, True)
                )
    return sent


def subscriber_account_toggle(*, user: object, on: bool) -> None:
    """From the account page: opt in (double opt-in, linked to the member) or opt out."""
    email = getattr(user, "email", "") or ""
    if on:
        if email and _verified(user, email):
            _member_opt_in(user=user, email=email, source="account")
        elif email:
            subscriber_subscribe(email=email, source="account", user=user)
        return
    from masthead.newsletter import selectors

    subscriber = selectors.subscriber_for_user(user=user)
    if subscriber is not None:
        subscriber_unsubscribe(subscriber_id=subscriber.pk)


def _verified(user: Any, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


def _member_opt_in(*, user: Any, email: str, source: str) -> None:
    """A signed-in member asked with an address they already proved: no second proof."""
    with transaction.atomic():
        subscriber_signup_opt_in(user=user, source=source)
        subscriber = Subscriber.objects.get(email=normalise_email(email))
        subscriber_confirm(subscriber_id=subscriber.pk)


def subscriber_export(user: object) -> dict[str, object] | None:
    """The member's newsletter data for "download my data"."""
    from masthead.newsletter import selectors

    subscriber = selectors.subscriber_for_user(user=user)
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "subscribed_at": subscriber.created_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "unsubscribed_at": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
    }


def issue_count(*, issue_id: int, field: str) -> None:
    """Add one open or click to an issue's totals (an UPDATE; no row per reader)."""
    if field in {"opens", "clicks"}:
        Issue.objects.filter(pk=issue_id).update(**{field: F(field) + 1})
