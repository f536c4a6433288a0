"""The weekly digest: what goes in, when it goes, and the command the scheduler runs."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from masthead.blog.models import Post, PostTag, Tag
from masthead.newsletter import issues
from masthead.newsletter.models import Issue
from tests.fixtures.smtp import MailSink
from tests.newsletter.factories import make_issue, subscribers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_eager_raising"),
]
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("UTC"))  # a Friday, after 08:00


def _post(title: str, when: datetime, status: str = "published", **extra: Any) -> Post:
    post = Post.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        excerpt=f"About {title}.",
        status=status,
        published_at=when,
        reading_time=4,
        **extra,
    )
    tag, _ = Tag.objects.get_or_create(name="Cybersecurity", slug="cybersecurity")
    PostTag.objects.create(post=post, tag=tag, position=0)
    return post


def test_digest_has_posts_published_since_the_last_issue(smtp_server: MailSink) -> None:
    subscribers(2)
    make_issue(status="sent", period_end=NOW - timedelta(days=7))
    _post("Old news", NOW - timedelta(days=8))
    _post(
        "Fresh one",
        NOW - timedelta(days=2),
        hero_image="blog/hero/f.jpg",
        hero_alt="A lock",
        hero_width=1200,
        hero_height=630,
    )
    _post("Fresher two", NOW - timedelta(days=1))
    _post("Still a draft", NOW - timedelta(days=1), status="draft")
    _post("Tomorrow", NOW + timedelta(days=1), status="scheduled")
    result = issues.issue_send_weekly(now=NOW)
    assert (result.action, result.posts, result.recipients) == ("sent", 2, 2)
    assert result.issue_id is not None
    issue = Issue.objects.get(pk=result.issue_id)
    assert [item["title"] for item in issue.items] == ["Fresh one", "Fresher two"]
    first = issue.items[0]
    assert first["category"] == "Cybersecurity" and first["reading_time"] == 4
    fresh = Post.objects.get(title="Fresh one")
    assert first["url"] == f"{settings.SITE_URL}{fresh.get_absolute_url()}"
    assert first["hero_url"] == f"{settings.SITE_URL}/media/blog/hero/f.jpg"
    assert issue.tool_slug == "ocr"
    mail = smtp_server.wait_for("r00000@example.com")[0]
    html = mail.body("html")
    assert "Fresh one" in html and "Old news" not in html and "Still a draft" not in html
    assert "Tool of the week" in html and f'src="{settings.SITE_URL}/media/blog/hero/f.jpg"' in html


def test_week_without_posts_is_skipped_once(smtp_server: MailSink) -> None:
    subscribers(2)
    assert issues.issue_send_weekly(now=NOW).action == "skipped"
    assert issues.issue_send_weekly(now=NOW).action == "exists"
    assert Issue.objects.get().status == "skipped"
    assert smtp_server.messages == []


def test_empty_week_sent_when_skipping_is_off(smtp_server: MailSink, settings: Any) -> None:
    settings.MASTHEAD_NEWSLETTER_SKIP_EMPTY = False
    subscribers(1)
    first = issues.issue_send_weekly(now=NOW)
    second = issues.issue_send_weekly(now=NOW)  # a second scheduler, same week
    assert (first.action, second.action) == ("sent", "exists")
    assert len(smtp_server.wait_for("r00000@example.com")) == 1
    assert "No new posts this week" in smtp_server.messages[0].body()


def test_not_sent_before_the_configured_day_and_hour_in_site_time(settings: Any) -> None:
    settings.TIME_ZONE = "America/New_York"
    settings.MASTHEAD_NEWSLETTER_DAY, settings.MASTHEAD_NEWSLETTER_HOUR = "fri", 8
    timezone.activate(ZoneInfo("America/New_York"))
    try:
        # 12:30 UTC on Friday is 07:30 in New York: not yet.
        assert issues.issue_send_weekly(now=NOW.replace(hour=12, minute=30)).action == "not_due"
        later = issues.issue_send_weekly(now=NOW.replace(hour=13, minute=5))
        assert later.action == "skipped"
    finally:
        timezone.deactivate()


def test_editor_draft_for_the_week_is_what_goes_out(smtp_server: MailSink) -> None:
    subscribers(1)
    draft = make_issue(week=issues.week_of(NOW), subject="Edited by hand", editor_note="Hi!")
    result = issues.issue_send_weekly(now=NOW)
    assert (result.action, result.issue_id) == ("sent", draft.pk)
    mail = smtp_server.wait_for("r00000@example.com")[0]
    assert mail.subject == "Edited by hand" and "Hi!" in mail.body()


def test_command_dry_run_changes_nothing_and_now_sends(smtp_server: MailSink) -> None:
    subscribers(3)
    _post("Fresh one", timezone.now() - timedelta(hours=1))
    out = io.StringIO()
    call_command("send_weekly_digest", "--dry-run", "--now", stdout=out)
    assert "would_send" in out.getvalue() and "recipients=3" in out.getvalue()
    assert not Issue.objects.exists() and smtp_server.messages == []
    call_command("send_weekly_digest", "--now", stdout=out)
    assert "sent: issue=" in out.getvalue()
    assert len(smtp_server.messages) == 3
    call_command("send_weekly_digest", "--now", stdout=out)
    assert out.getvalue().rstrip().splitlines()[-1].startswith("exists")
    assert len(smtp_server.messages) == 3


def test_beat_runs_the_weekly_task_at_the_configured_day_and_hour() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["newsletter-weekly-digest"]
    assert entry["task"] == "masthead.newsletter.tasks.issue_send_weekly"
    schedule: Any = entry["schedule"]
    assert schedule.hour == {settings.MASTHEAD_NEWSLETTER_HOUR} and schedule.minute == {0}
    assert schedule.day_of_week == {5}  # "fri" (Celery counts Sunday as 0)
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE
    assert "newsletter-sweep" in settings.CELERY_BEAT_SCHEDULE
    assert "newsletter-reminders" in settings.CELERY_BEAT_SCHEDULE


def test_web_version_is_public_once_sent_and_drafts_are_staff_only(client: Any) -> None:
    draft = make_issue()
    assert client.get(f"/newsletter/issues/{draft.pk}/").status_code == 404
    sent = make_issue(status="sent", subject="Sent issue")
    response = client.get(f"/newsletter/issues/{sent.pk}/")
    assert response.status_code == 200 and b"Sent issue" in response.content
    assert b"A post worth reading" in response.content and b"unsubscribe" not in response.content


def test_retry_delay_grows_exponentially_with_jitter_and_a_cap(settings: Any) -> None:
    from masthead.newsletter.sending import retry_delay

    settings.MASTHEAD_NEWSLETTER_RETRY_BASE_MS, settings.MASTHEAD_NEWSLETTER_RETRY_CAP = 30_000, 600
    for attempts, step in [(1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (12, 600)]:
        delays = {retry_delay(attempts) for _ in range(50)}
        assert all(step / 2 <= d <= step for d in delays) and len(delays) > 1
