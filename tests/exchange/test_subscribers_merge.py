"""Imports touch the audience only through ``newsletter.imports.subscribers_merge``: consent
is recorded with the import's source, and nobody unsubscribed or bounced here is
subscribed again (ADR 0605)."""

from __future__ import annotations

from pathlib import Path

import pytest

from masthead.exchange import services
from masthead.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def test_ghost_import_records_consent_and_never_resubscribes() -> None:
    Subscriber.objects.create(email="reader.one@harbour.example", status="unsubscribed")
    Subscriber.objects.create(email="reader.two@harbour.example", status="bounced")
    report = services.ghost_import(
        path=FIXTURES / "ghost5.json", members_csv=FIXTURES / "ghost-members.csv"
    )
    states = dict(Subscriber.objects.values_list("email", "status"))
    assert states["reader.one@harbour.example"] == "unsubscribed"
    assert states["reader.two@harbour.example"] == "bounced"
    new = Subscriber.objects.get(email="csv.reader@harbour.example")
    assert (new.status, new.consent_source, new.source) == ("active", "ghost", "ghost")
    assert new.consent_at is not None and new.confirmed_at == new.consent_at
    quiet = Subscriber.objects.get(email="csv.quiet@harbour.example")
    assert (quiet.status, quiet.consent_at, quiet.consent_source) == ("unsubscribed", None, "")
    assert ("2 subscribers", "unsubscribed here, so not subscribed again") in report.skipped
    assert ("ghost-members.csv line 5", "not a valid email address") in report.skipped
    assert report.created["unsubscribed addresses (kept from the old site)"] == 2  # + gone@


def test_an_active_subscriber_here_is_never_stopped_by_an_import(tmp_path: Path) -> None:
    Subscriber.objects.create(email="csv.quiet@harbour.example", status="active")
    report = services.subscribers_import_csv(path=FIXTURES / "ghost-members.csv")
    assert Subscriber.objects.get(email="csv.quiet@harbour.example").status == "active"
    assert report.unchanged == {"subscribers": 1}


def test_subscribers_are_merged_in_batches(tmp_path: Path, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "list.csv"
    path.write_text("email\n" + "".join(f"reader{i}@example.com\n" for i in range(2500)))
    with django_assert_max_num_queries(30):  # two per 1,000 rows, plus the transaction's
        report = services.subscribers_import_csv(path=path)
    assert report.created == {"subscribers": 2500}
    assert Subscriber.objects.filter(status="active", consent_source="csv").count() == 2500
