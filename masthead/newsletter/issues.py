"""Build issues: the weekly digest of posts published since the last issue.

Items are frozen into the issue as JSON when it is built, so the preview an editor checks,
every recipient's copy and the web version show exactly the same content.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.core import publication
from masthead.newsletter import emails, sending
from masthead.newsletter.models import Issue, Subscriber

logger = logging.getLogger(__name__)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class WeeklyResult:
    action: str  # "sent", "skipped", "exists", "not_due", "would_send", "would_skip"
    issue_id: int | None = None
    posts: int = 0
    recipients: int = 0


def week_of(moment: datetime) -> date:
    """The Monday (in the site's time zone) of the week ``moment`` falls in."""
    local = timezone.localtime(moment)
    return local.date() - timedelta(days=local.weekday())


def send_time(week: date) -> datetime:
    day = DAYS.index(settings.MASTHEAD_NEWSLETTER_DAY[:3])
    naive = datetime.combine(week + timedelta(days=day), datetime.min.time())
    return timezone.make_aware(naive.replace(hour=settings.MASTHEAD_NEWSLETTER_HOUR))


def post_item(post: Any) -> dict[str, Any]:
    """A post's frozen snapshot for an issue: what the digest shows of it, and the head of
    a per-post email's item (``posts.post_email_item`` adds the body)."""
    tag = post.primary_tag
    hero = post.hero_image.url if post.hero_image else ""
    return {
        "title": post.title,
        "url": emails.absolute(post.get_absolute_url()),
        "category": tag.name if tag else "",
        "excerpt": post.excerpt,
        "reading_time": post.reading_time,
        "hero_url": emails.absolute(hero) if hero.startswith("/") else hero,
        "hero_alt": post.hero_alt,
        "members_only": post.is_members_only,
    }


def posts_between(start: datetime, end: datetime) -> list[dict[str, Any]]:
    from masthead.blog.models import Post

    posts = (
        Post.objects.published()
        .filter(published_at__gt=start, published_at__lte=end)
        .prefetch_related("post_tags__tag")
        .order_by("published_at", "pk")
    )
    return [post_item(post) for post in posts]


def _period_start(end: datetime) -> datetime:
    last = (
        Issue.objects.filter(status__in=[Issue.Status.SENDING, Issue.Status.SENT])
        .exclude(period_end__isnull=True)
        .order_by("-period_end")
        .first()
    )
    return last.period_end if last and last.period_end else end - timedelta(days=7)


def tool_of_the_week(week: date) -> str:
    from masthead.tools.registry import all_tools

    tools = all_tools()
    return tools[week.isocalendar().week % len(tools)].slug if tools else ""


def issue_build(*, end: datetime, week: date | None = None) -> Issue:
    """A draft issue with every post published since the last issue went out."""
    start = _period_start(end)
    local = timezone.localtime(end)
    return Issue.objects.create(
        subject=f"{publication.current().name} weekly — {local:%d %B %Y}",
        items=posts_between(start, end),
        tool_slug=tool_of_the_week(week or local.date()),
        week=week,
        period_start=start,
        period_end=end,
    )


def issue_send_weekly(
    *, now: datetime | None = None, force: bool = False, dry_run: bool = False
) -> WeeklyResult:
    """Send this week's issue once: a second scheduler or a re-run finds the week's row."""
    now = now or timezone.now()
    week = week_of(now)
    if not force and now < send_time(week):
        return WeeklyResult("not_due")
    existing = Issue.objects.filter(week=week).first()
    if existing is not None and existing.status != Issue.Status.DRAFT:
        return WeeklyResult("exists", existing.pk)
    if dry_run:
        posts = len(existing.items) if existing else len(posts_between(_period_start(now), now))
        empty = posts == 0 and settings.MASTHEAD_NEWSLETTER_SKIP_EMPTY
        active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()
        return WeeklyResult("would_skip" if empty else "would_send", None, posts, active)
    try:
        with transaction.atomic():
            issue = existing or issue_build(end=now, week=week)
    except IntegrityError:  # another scheduler built it a moment ago
        return WeeklyResult("exists", Issue.objects.get(week=week).pk)
    if not issue.items and settings.MASTHEAD_NEWSLETTER_SKIP_EMPTY:
        Issue.objects.filter(pk=issue.pk, status=Issue.Status.DRAFT).update(
            status=Issue.Status.SKIPPED
        )
        logger.info("newsletter: nothing published, week %s skipped", week)
        return WeeklyResult("skipped", issue.pk)
    try:
        recipients = sending.issue_send(issue_id=issue.pk)
    except sending.IssueNotSendableError:
        return WeeklyResult("exists", issue.pk)
    return WeeklyResult("sent", issue.pk, len(issue.items), recipients)


def issue_send_test(*, issue: Issue, to: str) -> None:
    """Send one preview copy to an editor (marked as a test; its links unsubscribe no one)."""
    stand_in = Subscriber(pk=0, email=to, status=Subscriber.Status.ACTIVE)
    message = emails.issue_message(issue, stand_in)
    message.subject = f"[Test] {emails.check_header(issue.subject)}"
    message.send()


def post_email_preview(post: Any) -> str:
    """The weekly email as a subscriber would get it with ``post`` in it (HTML, not sent).

    For the newsroom's email preview: the same template and item as the real issue, with
    the recipient's address and unsubscribe link left as placeholders.
    """
    from django.template.loader import render_to_string

    context = {
        "issue": Issue(subject=f"This week at {settings.SITE_NAME}"),
        "items": [post_item(post)],
        "tool": None,
        "tool_url": "",
        "web_url": emails.absolute("/"),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "recipient": "subscriber@example.com",
        "unsubscribe_url": emails.absolute("/newsletter/"),
    }
    return render_to_string("newsletter/email/issue.html", context)
