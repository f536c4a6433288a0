"""Subscriber lists exported as CSV by Ghost, Substack or Mailchimp, read as a stream.

The address column is found by name (``email``, ``Email Address``, ``email_address``,
``e-mail``). Whether a row is subscribed is read from whichever the file has:
Ghost's ``subscribed_to_emails``, Substack's ``email_disabled`` / ``active_subscription``,
Mailchimp's ``UNSUB_TIME`` / ``status``, or a generic ``subscribed``. A row whose
``deleted_at`` is set is left out. Without any such column, a row is subscribed.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from masthead import spreadsheets
from masthead.exchange.records import ImportRefused, MemberRecord

EMAIL_COLUMNS = ("email", "email address", "email_address", "e-mail", "e-mail address")
FALSE = {"false", "0", "no", "n", "f", ""}
MAX_ROWS = 2_000_000
csv.field_size_limit(1_000_000)


def _truthy(value: str) -> bool:
    return value.strip().lower() not in FALSE


def members_from_stream(stream: IO[bytes], name: str) -> Iterator[MemberRecord]:
    reader_text = codecs.getreader("utf-8-sig")(stream, "strict")
    reader = csv.reader(reader_text)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise ImportRefused(f"{name} is empty.", code="bad_csv") from None
    except UnicodeDecodeError:
        raise ImportRefused(f"{name} is not UTF-8 text.", code="not_utf8") from None
    column = next((header.index(c) for c in EMAIL_COLUMNS if c in header), None)
    if column is None:
        raise ImportRefused(
            f"{name} has no email column (looked for {', '.join(EMAIL_COLUMNS)}).", code="bad_csv"
        )

    def cell(row: list[str], *names: str) -> str | None:
        for n in names:
            if n in header and header.index(n) < len(row):
                return row[header.index(n)]
        return None

    line = 1
    try:
        for row in reader:
            line += 1
            if line > MAX_ROWS:
                raise ImportRefused(f"{name} has more than {MAX_ROWS:,} rows.", code="bad_csv")
            if not row or column >= len(row):
                continue
            if (cell(row, "deleted_at") or "").strip():
                continue
            subscribed = True
            if (value := cell(row, "subscribed_to_emails", "subscribed")) is not None:
                subscribed = _truthy(value)
            if (value := cell(row, "email_disabled")) is not None and _truthy(value):
                subscribed = False
            if (value := cell(row, "unsub_time")) is not None and value.strip():
                subscribed = False
            if (
                value := cell(row, "status", "member_status")
            ) is not None and value.strip().lower() in {
                "unsubscribed",
                "cleaned",
                "bounced",
                "archived",
            }:
                subscribed = False
            labels = [
                part.strip()
                for part in (cell(row, "labels", "tags") or "").split(",")
                if part.strip()
            ]
            yield MemberRecord(
                email=spreadsheets.read_cell(row[column]),
                subscribed=subscribed,
                name=cell(row, "name", "first name") or "",
                labels=labels,
                label=f"{name} line {line}",
            )
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{name} is not UTF-8 text (near line {line}).", code="not_utf8"
        ) from None
    except csv.Error as exc:
        raise ImportRefused(
            f"{name} line {line} cannot be read as CSV: {exc}.", code="bad_csv"
        ) from None


def members_from_csv(path: Path) -> Iterator[MemberRecord]:
    with path.open("rb") as handle:
        yield from members_from_stream(handle, path.name)
