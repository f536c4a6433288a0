"""What each webhook event carries, and the receivers that record events as they happen.

Receivers are connected in ``ExchangeConfig.ready``: the blog and the newsletter send
signals of their own and the members' sign-up is allauth's ``user_signed_up``, so none of
the lower apps imports this one. Bodies follow Ghost's webhooks: ``{"post": {"current":
{...}, "previous": {...}}}`` and ``{"member": {"current": {...}, "previous": {}}}``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from masthead.blog.models import Post
from masthead.exchange import contentapi, webhooks

PREVIOUS_NAMES = {"excerpt": "custom_excerpt"}


def post_payload(post: Post) -> dict[str, Any]:
    """The post as the Content API shows it (tags and authors included), plus its status
    (a scheduled post whose time came is ``published``, as readers see it)."""
    data = contentapi.post_json(post, formats={"html", "plaintext"}, include={"tags", "authors"})
    live = post.published_at is not None and post.published_at <= timezone.now()
    scheduled_live = post.status == Post.Status.SCHEDULED and live
    data["status"] = Post.Status.PUBLISHED.value if scheduled_live else post.status
    return data


def _live_key(post: Post) -> str:
    """Names one moment a scheduled post goes live (its id and publish time)."""
    stamp = post.published_at.isoformat() if post.published_at else ""
    return f"post:{post.pk}:live:{stamp}"


def _previous(previous: dict[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for name, value in previous.items():
        if name == "body":
            continue  # the old words are in the post's revisions, not in the call
        if name == "published_at":
            value = contentapi._iso(value)
        elif name == "visibility":
            value = "public" if value == Post.Visibility.PUBLIC else "members"
        shown[PREVIOUS_NAMES.get(name, name)] = value
    return shown


def member_payload(
    *, email: str, name: str, created_at: Any, ident: str, subscribed: bool
) -> dict[str, Any]:
    return {
        "id": ident,
        "uuid": None,
        "email": email,
        "name": name or None,
        "status": "free",
        "subscribed": subscribed,
        "created_at": contentapi._iso(created_at),
        "updated_at": contentapi._iso(created_at),
    }


def on_post_changed(
    sender: Any, post: Post, event: str, previous: dict[str, Any], **_: Any
) -> None:
    hooks = webhooks.subscribers_of(event)
    if hooks:
        body = {"post": {"current": post_payload(post), "previous": _previous(previous)}}
        # A scheduled post saved with a time already past goes live now: keyed like the
        # sweep's announcement of it, so it is not announced a second time.
        scheduled = event == "post.published" and post.status == Post.Status.SCHEDULED
        once_key = _live_key(post) if scheduled else ""
        webhooks.event_record(event=event, payload=body, hooks=hooks, once_key=once_key)


def on_post_deleting(sender: Any, instance: Post, **_: Any) -> None:
    """pre_delete runs inside the delete's transaction, while tags and authors still exist."""
    hooks = webhooks.subscribers_of("post.deleted")
    if hooks:
        body = {"post": {"current": {}, "previous": post_payload(instance)}}
        webhooks.event_record(event="post.deleted", payload=body, hooks=hooks)


def on_signed_up(sender: Any, request: Any, user: Any, **_: Any) -> None:
    """A reader made an account (the sign-up form; staff invitations do not send this)."""
    hooks = webhooks.subscribers_of("member.added")
    if not hooks:
        return
    profile = getattr(user, "profile", None)  # None until the member names themselves
    subscribed = user.newsletter_subscriptions.filter(status="active").exists()
    body = {
        "member": {
            "current": member_payload(
                email=user.email,
                name=getattr(profile, "display_name", "") if profile else "",
                created_at=user.date_joined,
                ident=contentapi.ghost_id(user.pk),
                subscribed=subscribed,
            ),
            "previous": {},
        }
    }
    webhooks.event_record(event="member.added", payload=body, hooks=hooks)


def on_subscriber_confirmed(sender: Any, subscriber: Any, **_: Any) -> None:
    """An address without an account confirmed the newsletter: Ghost counts that as a new
    (free) member. A member's own sign-up opt-in was announced with the account."""
    if subscriber.user_id is not None:
        return
    hooks = webhooks.subscribers_of("member.added")
    if not hooks:
        return
    body = {
        "member": {
            "current": member_payload(
                email=subscriber.email,
                name="",
                created_at=subscriber.created_at,
                ident=f"s{subscriber.pk:023x}",
                subscribed=True,
            ),
            "previous": {},
        }
    }
    webhooks.event_record(event="member.added", payload=body, hooks=hooks)


SCHEDULED_LOOKBACK = timedelta(days=1)  # a sweep down for longer does not announce old news


def scheduled_posts_announce(*, now: datetime) -> int:
    """``post.published`` for scheduled posts whose time came: no write marks that moment,
    so the sweep finds them. The post's id and publish time key each announcement, so a
    post is announced once per time it goes live, and only to webhooks that existed then."""
    hooks = webhooks.subscribers_of("post.published")
    if not hooks:
        return 0
    oldest = min(hook.created_at for hook in hooks)
    due = Post.objects.filter(
        status=Post.Status.SCHEDULED,
        published_at__lte=now,
        published_at__gt=max(now - SCHEDULED_LOOKBACK, oldest),
    )
    made = 0
    for post in due.order_by("published_at")[:100]:
        if post.published_at is None:  # excluded by the filter; for the type checker
            continue
        once_key = _live_key(post)
        listening = [hook for hook in hooks if hook.created_at <= post.published_at]
        if not listening:
            continue
        previous = {"status": "scheduled"}
        body = {"post": {"current": post_payload(post), "previous": previous}}
        made += webhooks.event_record(
            event="post.published", payload=body, hooks=listening, once_key=once_key
        )
    return made
