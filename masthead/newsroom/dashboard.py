"""The newsroom's first page: what happened and what is next.

One fixed set of queries whatever the amount of content (a test counts them): each list is
a sliced query, each set of counts one aggregate. Times are shown in the publication's
time zone (set in the newsroom, ``Publication.time_zone``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from masthead.blog.models import Post
from masthead.core import publication
from masthead.members import roles
from masthead.newsletter.models import Delivery, Issue, Subscriber
from masthead.newsroom.access import staff_required
from masthead.tools.models import OcrJob, OcrJobStatus

LIST_LENGTH = 5


def _posts(user: Any) -> QuerySet[Post]:
    """Every post for editors; an author sees their own (the role's reach)."""
    posts = Post.objects.only("pk", "title", "slug", "status", "published_at", "updated_at")
    return posts if roles.can_publish(user) else posts.filter(authors=user)


def dashboard_data(*, user: Any) -> dict[str, Any]:
    now = timezone.now()
    posts = _posts(user)
    counts = posts.aggregate(
        published=Count("pk", filter=Q(status=Post.Status.PUBLISHED)),
        drafts=Count("pk", filter=Q(status=Post.Status.DRAFT)),
        scheduled=Count("pk", filter=Q(status=Post.Status.SCHEDULED)),
    )
    issues = Issue.objects.order_by("-created_at").annotate(
        sent_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
        failed_count=Count(
            "deliveries",
            filter=Q(deliveries__status__in=[Delivery.Status.FAILED, Delivery.Status.BOUNCED]),
        ),
        uncertain_count=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.UNCERTAIN)),
    )[:LIST_LENGTH]
    week_ago, day_ago = now - timedelta(days=7), now - timedelta(days=1)
    ocr = OcrJob.objects.aggregate(
        jobs_day=Count("pk", filter=Q(created_at__gte=day_ago)),
        jobs_week=Count("pk", filter=Q(created_at__gte=week_ago)),
        failed_week=Count("pk", filter=Q(created_at__gte=week_ago, status=OcrJobStatus.FAILED)),
        waiting=Count("pk", filter=Q(status__in=[OcrJobStatus.QUEUED, OcrJobStatus.RUNNING])),
        pages_week=Sum("pages_total", filter=Q(created_at__gte=week_ago), default=0),
    )
    subscribers = Subscriber.objects.aggregate(
        active=Count("pk", filter=Q(status=Subscriber.Status.ACTIVE)),
    )
    return {
        "counts": counts,
        "recent": list(
            posts.filter(status=Post.Status.PUBLISHED).order_by("-published_at")[:LIST_LENGTH]
        ),
        "drafts": list(
            posts.filter(status=Post.Status.DRAFT).order_by("-updated_at")[:LIST_LENGTH]
        ),
        "scheduled": list(
            posts.filter(status=Post.Status.SCHEDULED).order_by("published_at")[:LIST_LENGTH]
        ),
        "issues": list(issues),
        "ocr": ocr,
        "subscribers": subscribers,
        "can_publish": roles.can_publish(user),
    }


@require_GET
@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {"section": "dashboard", **dashboard_data(user=request.user)}
    with timezone.override(publication.current(request).zone):
        return render(request, "newsroom/dashboard.html", context)
