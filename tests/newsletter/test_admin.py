"""Editors' screens: subscribers (search, CSV export/import), issues, uncertain deliveries;
and the member's account section and data export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.members import sections
from masthead.newsletter.models import Delivery, Issue, Subscriber
from tests.fixtures import staff
from tests.fixtures.smtp import MailSink
from tests.fixtures.staff import login_past_totp
from tests.newsletter.factories import make_issue, subscribers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager_raising")]


@pytest.fixture
def editor(client: Client) -> Any:
    user = staff.superuser()
    login_past_totp(client, user)
    return user


def test_subscriber_search_and_export(client: Client, editor: Any) -> None:
    subscribers(3)
    Subscriber.objects.create(email="needle@example.com", status="pending", hard_bounces=2)
    page = client.get("/admin/newsletter/subscriber/?q=needle")
    assert page.status_code == 200 and b"needle@example.com" in page.content
    assert b"r00000@example.com" not in page.content
    export = client.get("/admin/newsletter/subscriber/export/")
    body = b"".join(export.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][:2] == ["email", "status"] and len(rows) == 5
    assert rows[-1][:2] == ["needle@example.com", "pending"] and rows[-1][-1] == "2"


def _csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode())))


def test_both_exports_neutralise_formulas_planted_through_the_subscribe_form(
    client: Client, editor: Any, django_capture_on_commit_callbacks: Any, smtp_server: MailSink
) -> None:
    """A visitor chooses the email and the source; editors open the export in a spreadsheet."""
    planted = {
        "=cmd|'/ccalc'!a0@example.com": "=HYPERLINK(1)",
        "+1-2@example.com": "@SUM(1)",
        "-2+3@example.com": "\tfooter",
    }
    for email, source in planted.items():
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/newsletter/subscribe/", {"email": email, "source": source})
        assert response.status_code == 302
    stored = dict(Subscriber.objects.values_list("email", "source"))
    assert stored == planted  # stored as typed; only the export is neutralised
    export = client.get("/admin/newsletter/subscriber/export/")
    streamed = _csv_rows(b"".join(export.streaming_content))  # type: ignore[attr-defined]
    ids = [str(pk) for pk in Subscriber.objects.values_list("pk", flat=True)]
    action = client.post(
        "/admin/newsletter/subscriber/",
        {"action": "export_csv", "_selected_action": ids},
    )
    assert action["Content-Type"].startswith("text/csv")
    for rows in (streamed, _csv_rows(action.content)):
        cells = {(row[0], row[2]) for row in rows[1:]}
        assert cells == {(f"'{email}", f"'{source}") for email, source in planted.items()}
        assert all(row[-1] == "0" for row in rows[1:])  # numbers stay numbers
    # Re-importing the export reads the addresses back as they are, not with an apostrophe.
    upload = SimpleUploadedFile("back.csv", action.content, content_type="text/csv")
    response = client.post("/admin/newsletter/subscriber/import/", {"file": upload}, follow=True)
    assert "Imported 0 new; 3 already on the list" in response.content.decode()


def test_import_never_resubscribes_and_reports_counts(client: Client, editor: Any) -> None:
    Subscriber.objects.create(email="left@example.com", status="unsubscribed")
    Subscriber.objects.create(email="here@example.com", status="active")
    data = "email,name\nnew@example.com,N\nLEFT@example.com,L\nhere@example.com,H\nnot-an-email,X\n"
    upload = SimpleUploadedFile("list.csv", data.encode(), content_type="text/csv")
    response = client.post("/admin/newsletter/subscriber/import/", {"file": upload}, follow=True)
    text = response.content.decode()
    assert "Imported 1 new; 1 already on the list; 1 unsubscribed and left alone; 1 invalid" in text
    assert Subscriber.objects.get(email="left@example.com").status == "unsubscribed"
    assert Subscriber.objects.get(email="new@example.com").status == "active"


def test_import_rejects_a_binary_file(client: Client, editor: Any) -> None:
    upload = SimpleUploadedFile("list.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    response = client.post("/admin/newsletter/subscriber/import/", {"file": upload})
    assert response.status_code == 200 and b"must be UTF-8" in response.content
    assert not Subscriber.objects.exists()


def test_issue_actions_test_email_preview_and_figures(
    client: Client, editor: Any, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    subscribers(2)
    issue = make_issue(subject="Preview me")
    changelist = "/admin/newsletter/issue/"
    client.post(changelist, {"action": "send_test", "_selected_action": [issue.pk]})
    [mail] = smtp_server.wait_for("editor@example.com")
    assert mail.subject == "[Test] Preview me"
    assert client.get(f"/newsletter/issues/{issue.pk}/").status_code == 200  # staff preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "send_now", "_selected_action": [issue.pk]})
    issue.refresh_from_db()
    assert issue.status == "sent" and len(smtp_server.messages) == 3
    page = client.get(changelist).content.decode()
    assert "2 recipients · 2 sent · 0 failed · 0 bounced" in page


def test_editing_rejects_crlf_subjects(client: Client, editor: Any) -> None:
    issue = make_issue()
    response = client.post(
        f"/admin/newsletter/issue/{issue.pk}/change/",
        {"subject": "Hi\r\nBcc: x@example.com", "editor_note": "", "tool_slug": "ocr"},
    )
    assert response.status_code == 200 and b"line breaks" in response.content
    issue.refresh_from_db()
    assert issue.subject == "Masthead weekly"


def test_uncertain_deliveries_are_listed_for_staff(client: Client, editor: Any) -> None:
    [person] = subscribers(1)
    issue = make_issue(status="sent")
    Delivery.objects.create(
        issue=issue, subscriber=person, status="uncertain", next_attempt_at=issue.created_at
    )
    page = client.get("/admin/newsletter/delivery/?status__exact=uncertain").content.decode()
    assert person.email in page and "Uncertain" in page
    assert "1 uncertain" in client.get("/admin/newsletter/issue/").content.decode()
    assert Issue.objects.get().status == "sent"


def test_account_section_subscribes_the_member_and_exports(
    client: Client, smtp_server: MailSink, django_capture_on_commit_callbacks: Any
) -> None:
    user = get_user_model().objects.create_user("m", "member@example.com", "y" * 20)
    client.force_login(user)
    assert any(s.key == "newsletter" for s in sections.sections())
    assert "Subscribe with member@example.com" in client.get("/accounts/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletter/account/", {"on": "1"})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert (subscriber.user_id, subscriber.status, subscriber.source) == (
        user.pk,
        "pending",
        "account",
    )
    smtp_server.wait_for("member@example.com")
    exported = sections.exporters()["newsletter"](user)
    assert exported["email"] == "member@example.com" and exported["status"] == "pending"
    assert "Stop the weekly email" in client.get("/accounts/").content.decode()
    client.post("/newsletter/account/", {"on": "0"})
    assert Subscriber.objects.get().status == "unsubscribed"
    user.delete()
    assert not Subscriber.objects.exists()  # account deletion removes the subscription


def test_account_toggle_needs_a_signed_in_member_and_csrf(client: Client) -> None:
    assert client.post("/newsletter/account/", {"on": "1"}).status_code == 302  # to sign-in
    assert not Subscriber.objects.exists()
    user = get_user_model().objects.create_user("m", "member@example.com", "y" * 20)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post("/newsletter/account/", {"on": "1"}).status_code == 403


def test_email_a_post_from_the_post_list_once(
    client: Client, editor: Any, smtp_server: MailSink
) -> None:
    """Issue 12: an editor sends a post by email from the admin's post list, once."""
    from tests.blog.factories import published_post

    subscribers(2)
    post = published_post(slug="send-me", title="Send me")
    data = {"action": "email_to_subscribers", "_selected_action": [post.pk]}
    response = client.post("/admin/blog/post/", data, follow=True)
    assert b"sending to 2" in response.content
    again = client.post("/admin/blog/post/", data, follow=True)
    assert b"already been sent" in again.content
    issue = Issue.objects.get(kind="post")
    assert (issue.post_id, issue.status, issue.recipients) == (post.pk, "sending", 2)
    assert Delivery.objects.filter(issue=issue).count() == 2  # frozen once, not twice


def test_an_author_without_the_newsletter_permission_sends_nothing(
    client: Client, smtp_server: MailSink
) -> None:
    from masthead.members import roles
    from tests.blog.factories import published_post

    author = staff.superuser()
    author.is_superuser = False
    author.save()
    roles.role_assign(user=author, role="author")
    login_past_totp(client, author)
    subscribers(1)
    post = published_post(slug="not-mine", title="Not mine")
    data = {"action": "email_to_subscribers", "_selected_action": [post.pk]}
    client.post("/admin/blog/post/", data, follow=True)
    assert not Issue.objects.filter(kind="post").exists() and not Delivery.objects.exists()
