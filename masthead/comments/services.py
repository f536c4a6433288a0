"""Writing comments: every rule a comment must pass, checked before anything is stored.

Each change runs in one transaction that also bumps the post's ``CommentSettings.version``
(the key of the cached comment list) and rewrites ``Post.comment_count``; a refused request
leaves no row behind. Flood limits count per member and per client address
(``core.clientip``, which honours ``MASTHEAD_TRUSTED_PROXY_COUNT``) in fixed windows in the
shared cache, and fail closed when that store is down.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from masthead.blog import pieces
from masthead.blog.models import Post
from masthead.blog.selectors import post_visible_to
from masthead.comments import text as comment_text
from masthead.comments.models import Comment, CommentPreference, CommentReport, CommentSettings
from masthead.core.clientip import limit_key
from masthead.core.stores import store_errors
from masthead.errors import MastheadError

log = logging.getLogger(__name__)
S = Comment.Status


def settings_for(post: Post) -> CommentSettings:
    row, _ = CommentSettings.objects.get_or_create(post=post)
    return row


def _changed(post: Post) -> None:
    """Inside the change's transaction: a new list version and the stored count."""
    row = settings_for(post)
    CommentSettings.objects.filter(pk=row.pk).update(version=F("version") + 1)
    count = Comment.objects.filter(post=post, status=S.VISIBLE).count()
    if Post.objects.filter(pk=post.pk).exclude(comment_count=count).update(comment_count=count):
        pieces.touch([post.pk], showing=False)  # the page's link names the count; cards don't


def member_leaving(*, instance: Any, **_: object) -> None:
    """``pre_delete`` receiver for users: their comments (and the replies under them) go
    by CASCADE, which ``_changed`` does not see; note the posts they are on."""
    posts = Comment.objects.filter(author=instance).values_list("post_id", flat=True)
    instance._comment_post_ids = set(posts)


def member_left(*, instance: Any, **_: object) -> None:
    """``post_delete`` receiver for users: the posts they commented on count again."""
    for post in Post.objects.filter(pk__in=getattr(instance, "_comment_post_ids", ())):
        _changed(post)


def _count(key: str, window: int) -> int:
    try:
        cache.add(key, 0, timeout=window + 5)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            return 1
    except store_errors() as exc:
        log.warning("comment limit store unavailable: %s", exc)
        raise MastheadError(
            "limits_unavailable",
            "Comments cannot be posted right now. Please try again in a minute.",
            status=503,
            retry_after=60,
        ) from exc


def rate_check(*, action: str, user: Any, ip: str) -> None:
    """One more ``action`` by ``user`` from ``ip``; 429 when either is over its limit."""
    window = settings.MASTHEAD_COMMENT_RATE_WINDOW
    now = int(time.time())
    start = now - now % window
    buckets = [
        (f"user:{user.pk}", settings.MASTHEAD_COMMENT_RATE_MEMBER),
        (f"ip:{limit_key(ip)}", settings.MASTHEAD_COMMENT_RATE_IP),
    ]
    for ident, limit in buckets:
        if _count(f"comments:{action}:{ident}:{start}", window) > limit:
            wait = max(1, start + window - now)
            raise MastheadError(
                "rate_limited",
                f"That is a lot of {action}s in a short time. Please wait "
                f"{(wait + 59) // 60} minute(s) and try again.",
                status=429,
                retry_after=wait,
            )


def _may_comment(*, post: Post, user: Any) -> None:
    if not (user.is_authenticated and user.is_active):
        raise MastheadError("sign_in_required", "Sign in to comment.", status=403)
    if not post_visible_to(post=post, user=user):
        raise MastheadError("not_found", "There is no such post.", status=404)
    if settings_for(post).closed:
        raise MastheadError("comments_closed", "Comments are closed on this post.", status=403)


def comment_create(
    *, post: Post, user: Any, raw_text: str, ip: str, parent_id: int | None = None
) -> Comment:
    """A new comment (or a reply to a visible top-level comment) by a signed-in member."""
    _may_comment(post=post, user=user)
    body = comment_text.normalise(raw_text)
    comment_text.check(body)
    rate_check(action="comment", user=user, ip=ip)
    with transaction.atomic():
        parent = None
        if parent_id is not None:
            parent = Comment.objects.select_for_update().filter(pk=parent_id, post=post).first()
            if parent is not None and parent.parent_id is not None:  # one level: join the thread
                parent = Comment.objects.select_for_update().get(pk=parent.parent_id)
            if parent is None:
                raise MastheadError("not_found", "There is no such comment.", status=404)
            if not parent.is_visible:
                raise MastheadError(
                    "parent_removed",
                    "That comment was removed, so it cannot be replied to.",
                    status=409,
                )
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            author=user,
            text=body,
            html=comment_text.render(body),
            by_staff=bool(user.is_staff),
        )
        _changed(post)
        transaction.on_commit(partial(_notify_later, comment.pk))
    return comment


def _notify_later(comment_id: int) -> None:
    from masthead.comments import tasks

    try:
        tasks.comment_notify.delay(comment_id)
    except Exception:  # the comment is saved; a lost notice must not fail the request
        log.exception("could not queue the notice for comment %s", comment_id)


def edit_deadline(comment: Comment) -> Any:
    return comment.created_at + timedelta(minutes=settings.MASTHEAD_COMMENT_EDIT_MINUTES)


def can_edit(comment: Comment, user: Any) -> bool:
    return (
        comment.author_id == getattr(user, "pk", None)
        and comment.is_visible
        and timezone.now() <= edit_deadline(comment)
    )


def comment_edit(*, comment: Comment, user: Any, raw_text: str) -> Comment:
    if comment.author_id != getattr(user, "pk", None):
        raise MastheadError("forbidden", "You can only edit your own comments.", status=403)
    body = comment_text.normalise(raw_text)
    comment_text.check(body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if not can_edit(comment, user):
            minutes = settings.MASTHEAD_COMMENT_EDIT_MINUTES
            raise MastheadError(
                "edit_window_over",
                f"Comments can be edited for {minutes} minutes after posting; "
                "this one can no longer be changed.",
                status=403,
            )
        if body != comment.text:
            comment.text, comment.html = body, comment_text.render(body)
            comment.edited_at = timezone.now()
            comment.save(update_fields=["text", "html", "edited_at", "updated_at"])
            _changed(comment.post)
    return comment


def comment_remove(*, comment: Comment, user: Any, staff: bool) -> None:
    """Delete a comment (its author, or verified staff): the text goes, a marker stays
    so the thread's replies keep their place."""
    if not staff and comment.author_id != getattr(user, "pk", None):
        raise MastheadError("forbidden", "You can only delete your own comments.", status=403)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == S.DELETED:
            return
        comment.status, comment.text, comment.html = S.DELETED, "", ""
        comment.save(update_fields=["status", "text", "html", "updated_at"])
        _changed(comment.post)


def comment_hide(*, comment: Comment, hidden: bool) -> None:
    """Staff hide a comment from readers (the text is kept and can be shown again)."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == S.DELETED:
            raise MastheadError("comment_deleted", "That comment was deleted.", status=409)
        comment.status = S.HIDDEN if hidden else S.VISIBLE
        comment.save(update_fields=["status", "updated_at"])
        _changed(comment.post)


def comment_approve(*, comment: Comment) -> None:
    """Staff find a reported or hidden comment fine: its reports are cleared and it shows."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status == S.DELETED:
            raise MastheadError("comment_deleted", "That comment was deleted.", status=409)
        CommentReport.objects.filter(comment=comment).delete()
        if comment.status != S.VISIBLE:
            comment.status = S.VISIBLE
            comment.save(update_fields=["status", "updated_at"])
        _changed(comment.post)


def comment_report(*, comment: Comment, user: Any, reason: str, ip: str) -> bool:
    """A reader flags a comment for staff; True if this is their first report of it."""
    if not (user.is_authenticated and user.is_active):
        raise MastheadError("sign_in_required", "Sign in to report a comment.", status=403)
    if not comment.is_visible:
        raise MastheadError("comment_removed", "That comment was already removed.", status=409)
    reason = comment_text.normalise(reason)[:300]
    rate_check(action="report", user=user, ip=ip)
    try:
        with transaction.atomic():
            CommentReport.objects.create(comment=comment, reporter=user, reason=reason)
    except IntegrityError:
        return False
    return True


def comments_close(*, post: Post, closed: bool) -> None:
    with transaction.atomic():
        row = settings_for(post)
        CommentSettings.objects.filter(pk=row.pk).update(closed=closed, version=F("version") + 1)


def notify_wanted(user: Any) -> bool:
    pref = CommentPreference.objects.filter(user=user).first()
    return pref is None or pref.notify


def notify_set(*, user: Any, on: bool) -> None:
    CommentPreference.objects.update_or_create(user=user, defaults={"notify": on})


def comments_export(user: Any) -> dict[str, Any]:
    """The member's comments and email choice, for "download my data"."""
    return {
        "email_about_comments": notify_wanted(user),
        "comments": [
            {
                "post": c.post.get_absolute_url(),
                "written": c.created_at.isoformat(),
                "status": c.status,
                "text": c.text,
            }
            for c in Comment.objects.filter(author=user).select_related("post")
        ],
    }
