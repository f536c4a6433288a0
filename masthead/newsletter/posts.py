"""Every post by email: send one published post to the list, through the digest's outbox.

``send_post(post=..., audience=...)`` is the one entry point (the admin action and the
newsroom editor call it). It freezes the post into an ``Issue`` of kind ``post`` and hands
it to ``sending.issue_send`` in the same transaction, so a per-post send has exactly the
digest's guarantees: one delivery row per recipient, at most once under worker kills,
RFC 8058 one-click unsubscribe checked at send time, bounces counted. A post goes out at
most once (a unique constraint), so a second click or a retried request sends nothing.

What each audience gets: ``members`` (subscribers who are members) get the whole post, a
members-only one included; ``subscribers`` (everyone on the list) get a public post whole,
and a members-only post's teaser with a link to read on (after signing in or up).
The web version of a post email is the post's own page.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.newsletter import emails, issues, sending
from masthead.newsletter.models import Issue, PostSendIntent

logger = logging.getLogger(__name__)

AUDIENCES = frozenset(Issue.Audience.values)
_LOCAL_LINK = re.compile(r'(href|src)="/(?!/)')


class PostNotSendableError(ValueError):
    """The post is not published, was already sent, or the audience is unknown."""


def _absolute_links(html: str) -> str:
    """Site paths in stored HTML become absolute URLs (mail has no base URL)."""
    return _LOCAL_LINK.sub(lambda m: f'{m.group(1)}="{settings.SITE_URL}/', html)


def post_email_item(*, post: Any, audience: str) -> dict[str, Any]:
    """The frozen snapshot of a post that every copy of its email shows."""
    from masthead.blog import markdown

    whole = not post.is_members_only or audience == Issue.Audience.MEMBERS
    body = post.body_html if whole else markdown.teaser(post.body_html)
    body = markdown.sanitise(markdown.TOOL_SLOT.sub("", body).replace(markdown.MEMBERS_DIVIDER, ""))
    return {
        **issues.post_item(post),
        "body_html": _absolute_links(body),
        "body_text": markdown.plain_text(body),
        "whole": whole,
    }


def send_post(*, post: Any, audience: str = Issue.Audience.SUBSCRIBERS) -> Issue:
    """Email ``post`` to ``audience`` ("subscribers" or "members"); return the issue.

    Raises ``PostNotSendableError`` (unpublished, already sent, unknown audience) and
    ``emails.UnsafeHeaderError`` (a title with a line break); nothing is stored then.
    """
    if audience not in AUDIENCES:
        raise PostNotSendableError(f"Unknown audience {audience!r}.")
    if not type(post).objects.published().filter(pk=post.pk).exists():
        raise PostNotSendableError("Only a published post can be sent by email.")
    emails.check_header(post.title)
    try:
        with transaction.atomic():
            issue = Issue.objects.create(
                kind=Issue.Kind.POST,
                post=post,
                audience=audience,
                subject=post.title[:200],
                items=[post_email_item(post=post, audience=audience)],
            )
            sending.issue_send(issue_id=issue.pk)
    except IntegrityError:
        raise PostNotSendableError("This post has already been sent by email.") from None
    issue.refresh_from_db()
    return issue


def send_intent_set(*, post: Any, audience: str) -> PostSendIntent:
    """Email ``post`` to ``audience`` when it goes live (a scheduled post). Refused now,
    with nothing stored, for what would refuse the send then: an unknown audience, a post
    already sent, a title with a line break."""
    if audience not in AUDIENCES:
        raise PostNotSendableError(f"Unknown audience {audience!r}.")
    if Issue.objects.filter(kind=Issue.Kind.POST, post=post).exists():
        raise PostNotSendableError("This post has already been sent by email.")
    emails.check_header(post.title)
    intent, _ = PostSendIntent.objects.update_or_create(
        post=post, defaults={"audience": audience, "last_error": ""}
    )
    return intent


def send_intent_clear(*, post: Any) -> None:
    PostSendIntent.objects.filter(post=post).delete()


def send_intents_due() -> int:
    """Send the posts whose send was asked for at scheduling and that are live now (run by
    the minute sweep). A post goes out at most once (``send_post``'s constraint), so two
    sweeps at once send it once; a refusal is kept on the intent for the editor to see."""
    from masthead.blog.models import Post

    sent = 0
    live = Post.objects.published().values("pk")
    due = PostSendIntent.objects.filter(post__in=live, last_error="").select_related("post")
    for intent in due:
        try:
            send_post(post=intent.post, audience=intent.audience)
        except (PostNotSendableError, emails.UnsafeHeaderError) as error:
            logger.warning("newsletter: post %s not emailed: %s", intent.post_id, error)
            if Issue.objects.filter(kind=Issue.Kind.POST, post_id=intent.post_id).exists():
                intent.delete()  # sent meanwhile (another sweep, or by hand)
            else:
                PostSendIntent.objects.filter(pk=intent.pk).update(last_error=str(error)[:300])
            continue
        intent.delete()
        sent += 1
    return sent
