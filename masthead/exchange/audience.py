"""Subscribers brought in by an import: the one place an import writes to the audience.

Every importer (Ghost's members, a members CSV from Ghost, Substack or Mailchimp) hands its
rows to ``subscribers_merge``; when members and newsletter subscribers become one audience,
only this function changes. The rules:

- someone unsubscribed (or stopped after bounces) here is never subscribed again;
- someone the old platform lists as unsubscribed is recorded as unsubscribed (a later
  import cannot subscribe them), and an active subscriber here who unsubscribed there is
  unsubscribed;
- someone subscribed there and unknown here becomes an active subscriber (they confirmed
  on the old platform); pending and active subscribers are left as they are.

Rows are written in batches of ``BATCH`` with two queries per batch, so 50,000 members
take seconds and memory stays flat whatever the file's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.utils import timezone

from masthead.exchange.records import MemberRecord
from masthead.newsletter.models import Subscriber
from masthead.newsletter.services import InvalidEmailError, normalise_email

BATCH = 1000
STOPPED = {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED}


@dataclass
class AudienceReport:
    subscribed: int = 0
    recorded_unsubscribed: int = 0
    unsubscribed: int = 0
    kept_unsubscribed: int = 0
    unchanged: int = 0
    invalid: list[str] = field(default_factory=list)  # labels of rows without a usable address


def _batches(rows: Iterable[MemberRecord]) -> Iterator[list[MemberRecord]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def subscribers_merge(*, rows: Iterable[MemberRecord], source: str = "import") -> AudienceReport:
    """Merge imported people into the newsletter's subscribers (call inside a transaction)."""
    report = AudienceReport()
    seen: set[str] = set()
    now = timezone.now()
    for batch in _batches(rows):
        wanted: dict[str, MemberRecord] = {}
        for row in batch:
            try:
                email = normalise_email(row.email)
            except InvalidEmailError:
                report.invalid.append(row.label or repr(row.email))
                continue
            if email in seen:
                report.unchanged += 1
                continue
            seen.add(email)
            wanted[email] = row
        existing = {s.email: s for s in Subscriber.objects.filter(email__in=list(wanted))}
        new: list[Subscriber] = []
        to_unsubscribe: list[int] = []
        for email, row in wanted.items():
            current = existing.get(email)
            if current is None:
                if row.subscribed:
                    new.append(
                        Subscriber(
                            email=email,
                            status=Subscriber.Status.ACTIVE,
                            source=source[:16],
                            confirmed_at=now,
                        )
                    )
                    report.subscribed += 1
                else:
                    new.append(
                        Subscriber(
                            email=email,
                            status=Subscriber.Status.UNSUBSCRIBED,
                            source=source[:16],
                            unsubscribed_at=now,
                        )
                    )
                    report.recorded_unsubscribed += 1
            elif current.status in STOPPED:
                report.kept_unsubscribed += 1
            elif not row.subscribed:
                to_unsubscribe.append(current.pk)
                report.unsubscribed += 1
            else:
                report.unchanged += 1
        Subscriber.objects.bulk_create(new)
        if to_unsubscribe:
            Subscriber.objects.filter(pk__in=to_unsubscribe).update(
                status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now
            )
    return report
