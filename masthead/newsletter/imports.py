"""Subscriber CSV import: addresses that already opted in elsewhere become active.

An address that unsubscribed (or stopped after bounces) here is never re-subscribed by an
import; invalid addresses are counted and skipped; the whole file is one transaction.
Cells are read back with ``spreadsheets.read_cell``, so the site's own export imports as
the addresses it holds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from masthead.core import spreadsheets
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


def subscribers_import(*, data: bytes) -> ImportReport:
    report = ImportReport()
    now = timezone.now()
    with transaction.atomic():
        seen: set[str] = set()
        for raw in _emails(data):
            try:
                email = normalise_email(raw)
            except InvalidEmailError:
                report.invalid += 1
                continue
            if email in seen:
                report.already += 1
                continue
            seen.add(email)
            existing = Subscriber.objects.filter(email=email).first()
            if existing is None:
                Subscriber.objects.create(
                    email=email, status=Subscriber.Status.ACTIVE, source="import", confirmed_at=now
                )
                report.created += 1
            elif existing.status in {Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.BOUNCED}:
                report.kept_unsubscribed += 1
            else:
                report.already += 1
    return report
