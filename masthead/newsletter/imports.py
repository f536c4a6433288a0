"""Subscriber CSV import: addresses that already opted in elsewhere become active.

An address that unsubscribed (or stopped after bounces) here is never re-subscribed by an
import; invalid addresses are counted and skipped; the whole file is one transaction.
Cells are read back with ``spreadsheets.read_cell``, so the site's own export imports as
the addresses it holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from masthead import spreadsheets
from masthead.newsletter.models import Subscriber
from masthead.newsletter.services import InvalidEmailError, normalise_email

MAX_ROWS = 100_000


class ImportFileError(ValueError):
    """The file is not a readable CSV with an email column."""


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    already: int = 0
    kept_unsubscribed: int = 0
    invalid: int = 0
    not_confirmed: int = 0


def _emails(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The file must be UTF-8 text.") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportFileError("The file is empty.")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"At most {MAX_ROWS} rows per file.")
    header = [cell.strip().lower() for cell in rows[0]]
    column = header.index("email") if "email" in header else 0
    body = rows[1:] if "email" in header else rows
    return [spreadsheets.read_cell(row[column]) if len(row) > column else "" for row in body]


@dataclass(frozen=True, slots=True)
class ImportedSubscriber:
    """One address as another platform (Ghost, Substack, a CSV) had it."""

    email: str
    status: str = "active"  # "active", "unsubscribed", "bounced" or "pending" there
    subscribed_at: datetime | None = None


def subscribers_merge(
    *, records: Iterable[ImportedSubscriber], source: str = "import"
) -> ImportReport:
    """Merge subscribers from elsewhere into the one list; the function importers call.

    Rules (one transaction for the whole batch):
    * an address already here keeps its row and status untouched: an import never
      re-subscribes someone who unsubscribed or bounced, and never stops someone active;
    * a new address that was active there becomes active here (consent: its date there,
      source ``source``);
    * a new address that unsubscribed or bounced there is stored as such, so a later
      import cannot add it back;
    * a new address still unconfirmed there is not added (it never opted in) and is
      counted in ``not_confirmed``; invalid addresses (CR/LF included) in ``invalid``.
    """
    report = ImportReport()
    now = timezone.now()
    left = {"unsubscribed": Subscriber.Status.UNSUBSCRIBED, "bounced": Subscriber.Status.BOUNCED}
    with transaction.atomic():
        seen: set[str] = set()
        for record in records:
            try:
                email = normalise_email(record.email)
            except InvalidEmailError:
                report.invalid += 1
                continue
            if email in seen:
                report.already += 1
                continue
            seen.add(email)
            existing = Subscriber.objects.filter(email=email).first()
            if existing is not None:
                if existing.status in {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED}:
                    report.kept_unsubscribed += 1
                else:
                    report.already += 1
            elif record.status in left:
                Subscriber.objects.create(
                    email=email, status=left[record.status], source=source[:16],
                    unsubscribed_at=now,
                )  # fmt: skip
                report.kept_unsubscribed += 1
            elif record.status == "active":
                since = record.subscribed_at or now
                Subscriber.objects.create(
                    email=email, status=Subscriber.Status.ACTIVE, source=source[:16],
                    confirmed_at=since, consent_at=since, consent_source=source[:16],
                )  # fmt: skip
                report.created += 1
            else:
                report.not_confirmed += 1
    return report


def subscribers_import(*, data: bytes) -> ImportReport:
    """The admin's CSV import: every address in the file opted in elsewhere."""
    return subscribers_merge(records=(ImportedSubscriber(email=raw) for raw in _emails(data)))
