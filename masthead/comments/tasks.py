"""Comment notices by email: to the post's writers on a new comment, to the commenter on a
reply. Nobody gets mail about their own comment, and ``CommentPreference.notify`` off
means none at all. A lost notice is logged, never retried into a duplicate."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from masthead.comments import selectors, services
from masthead.comments.models import Comment
from masthead.core import publication

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def comment_notify(comment_id: int) -> None:
    comment = (
        Comment.objects.select_related("post", "author", "parent__author")
        .filter(pk=comment_id, status=Comment.Status.VISIBLE)
        .first()
    )
    if comment is None:
        return
    recipients: dict[int, tuple[Any, str]] = {}  # user id -> (user, kind); a reply wins
    for writer in comment.post.authors.all():
        recipients[writer.pk] = (writer, "post")
    if comment.parent is not None:
        recipients[comment.parent.author_id] = (comment.parent.author, "reply")
    link = f"{settings.SITE_URL}{comment.post.get_absolute_url()}comments/#c-{comment.pk}"
    for user, kind in recipients.values():
        if user.pk == comment.author_id or not user.is_active or not user.email:
            continue
        if not services.notify_wanted(user):
            continue
        email = user.email
        context = {
            "comment": comment,
            "kind": kind,
            "who": selectors.display_name(comment.author),
            "link": link,
            "account": f"{settings.SITE_URL}/accounts/",
            "site_name": publication.current().name,
        }
        subject = render_to_string("comments/email/notify_subject.txt", context).strip()
        body = render_to_string("comments/email/notify.txt", context)
        try:
            send_mail(subject, body, None, [email])
        except Exception:
            log.exception("comment notice for comment %s not sent", comment.pk)
