"""Comments under posts: one level of replies, written by members, moderated by staff.

Blog sits below this app and never imports it, so everything about comments on a post
(whether they are closed, the version the cached list is keyed on) lives here in a
``CommentSettings`` row keyed by the post. Only the count of visible comments is written
onto the post itself (``Post.comment_count``) so the post page's JSON-LD costs nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString, mark_safe

from masthead.blog.models import Post
from masthead.core.models import TimeStampedModel


class CommentSettings(TimeStampedModel):
    """Per-post switches, and the version the cached comment list is keyed on."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="comment_settings")
    closed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "comment settings"

    def __str__(self) -> str:
        return f"comments on post {self.post_id}"


class Comment(TimeStampedModel):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden by staff"
        DELETED = "deleted", "Deleted"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    text = models.TextField()  # what the member typed (normalised), kept for editing
    html = models.TextField()  # the text escaped and autolinked once, at save time
    by_staff = models.BooleanField(default=False)  # the badge, as it was when written
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    edited_at = models.DateTimeField(null=True, blank=True)

    # Set for one reader by the list view (``views._context``); never stored.
    name: str = ""
    mine: bool = False
    editable: bool = False
    shown: bool = False

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self) -> str:
        return f"comment {self.pk} on post {self.post_id}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE

    @property
    def html_display(self) -> SafeString:
        """The stored HTML for the page: ``text.render`` escaped everything the member
        typed and added only the links it made itself (ADR 0120)."""
        return mark_safe(self.html)  # noqa: S308  # nosec


class CommentReport(models.Model):
    """A reader's flag on a comment; one per reader and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader")
        ]

    def __str__(self) -> str:
        return f"report on comment {self.comment_id}"


class CommentPreference(models.Model):
    """Whether a member wants email about comments (new ones on their posts, replies)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_preference"
    )
    notify = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"comment email for user {self.user_id}"
