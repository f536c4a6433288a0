"""Subscriber CSV import: addresses that already opted in elsewhere become active.

An address that unsubscribed (or stopped after bounces) here is never re-subscribed by an
import; invalid addresses are counted and skipped; the whole file is one transaction.
Cells are read back with ``spreadsheets.read_cell``, so the site's own export imports as
the addresses it holds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.db import transaction
from django.utils import timezone

from masthead import spreadsheets
from masthead.newsletter.models import Subscriber
from masthead.newsletter.services import InvalidEmailError, normalise_email

MAX_ROWS = 100_000
BATCH = 1000
STOPPED = {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED}
LEFT = {"unsubscribed": Subscriber.Status.UNSUBSCRIBED, "bounced": Subscriber.Status.BOUNCED}


class ImportFileError(ValueError):
    """The file is not a readable CSV with an email column."""


@dataclass(slots=True)
class ImportReport:
    created: int = 0
    already: int = 0
    kept_unsubscribed: int = 0  # stopped here, or stored stopped as they were there
    invalid: int = 0
    not_confirmed: int = 0
    recorded_unsubscribed: int = 0  # of ``kept_unsubscribed``: new rows stored as stopped
    invalid_labels: list[str] = field(default_factory=list)  # the importer's names for them


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
    label: str = ""  # how the importer names the row in its report ("members.csv line 4")


def _batches(records: Iterable[ImportedSubscriber]) -> Iterator[list[ImportedSubscriber]]:
    iterator = iter(records)
    while batch := list(islice(iterator, BATCH)):
        yield batch


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

    ``records`` is read in batches of ``BATCH`` with two queries each, so an export of
    50,000 members is merged in seconds with flat memory, whatever its length.
    """
    report = ImportReport()
    seen: set[str] = set()
    with transaction.atomic():
        for batch in _batches(records):
            _merge_batch(batch, source[:16], seen, report)
    return report


def _merge_batch(
    batch: list[ImportedSubscriber], source: str, seen: set[str], report: ImportReport
) -> None:
    now = timezone.now()
    wanted: dict[str, ImportedSubscriber] = {}
    for record in batch:
        try:
            email = normalise_email(record.email)
        except InvalidEmailError:
            report.invalid += 1
            report.invalid_labels.append(record.label or repr(record.email))
            continue
        if email in seen:
            report.already += 1
            continue
        seen.add(email)
        wanted[email] = record
    existing = dict(
        Subscriber.objects.filter(email__in=list(wanted)).values_list("email", "status")
    )
    new: list[Subscriber] = []
    for email, record in wanted.items():
        if email in existing:
            if existing[email] in STOPPED:
                report.kept_unsubscribed += 1
            else:
                report.already += 1
        elif record.status in LEFT:
            new.append(
                Subscriber(email=email, status=LEFT[record.status], source=source,
                           unsubscribed_at=now)
            )  # fmt: skip
            report.kept_unsubscribed += 1
            report.recorded_unsubscribed += 1
        elif record.status == "active":
            since = record.subscribed_at or now
            new.append(
                Subscriber(email=email, status=Subscriber.Status.ACTIVE, source=source,
                           confirmed_at=since, consent_at=since, consent_source=source)
            )  # fmt: skip
            report.created += 1
        else:
            report.not_confirmed += 1
    Subscriber.objects.bulk_create(new)


def subscribers_import(*, data: bytes) -> ImportReport:
    """The admin's CSV import: every address in the file opted in elsewhere."""
    return subscribers_merge(records=(ImportedSubscriber(email=raw) for raw in _emails(data)))
