"""Newsletter rows: who subscribed, each issue, and one delivery (outbox row) per recipient.

The Delivery table is the source of truth for sending: a broker message only nudges a
worker to look at it, so a lost or duplicated task message never loses or doubles an email.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from masthead.core.models import TimeStampedModel


class Subscriber(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Stopped after hard bounces"

    email = models.EmailField(unique=True)  # stored lower-cased
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # deleting an account removes its subscription
        related_name="newsletter_subscriptions",
    )
    source = models.CharField(max_length=16, default="footer")
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    notice_sent_at = models.DateTimeField(null=True, blank=True)  # last "already subscribed"
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_from = models.ForeignKey(
        "Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hard_bounces = models.PositiveIntegerField(default=0)
    # Consent: when and where the person last asked for the newsletter (form, sign-up box,
    # account page, an import). ``confirmed_at`` is when the address was proven theirs.
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_source = models.CharField(max_length=16, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.email


class Issue(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (nothing published)"

    class Kind(models.TextChoices):
        DIGEST = "digest", "Weekly digest"
        POST = "post", "One post"

    class Audience(models.TextChoices):
        SUBSCRIBERS = "subscribers", "Every subscriber"
        MEMBERS = "members", "Subscribers who are members"

    kind = models.CharField(max_length=8, choices=Kind, default=Kind.DIGEST)
    post = models.ForeignKey(
        "blog.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(max_length=12, choices=Audience, default=Audience.SUBSCRIBERS)
    opens = models.PositiveIntegerField(default=0)  # counted per issue, never per reader
    clicks = models.PositiveIntegerField(default=0)
    subject = models.CharField(max_length=200)
    editor_note = models.TextField(blank=True)
    tool_slug = models.CharField(max_length=50, blank=True)
    items = models.JSONField(default=list, blank=True)  # post snapshots, frozen when built
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    week = models.DateField(null=True, blank=True, unique=True)  # Monday of an automatic issue
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [  # a post goes out by email at most once (a second click is refused)
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(kind="post"), name="issue_one_send_per_post"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        UNCERTAIN = "uncertain", "Uncertain (check by hand)"
        SKIPPED = "skipped", "Skipped (unsubscribed before sending)"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_issue")
        ]
        indexes = [models.Index(fields=["issue", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id} ({self.status})"


class PostSendIntent(TimeStampedModel):
    """An editor's wish to email a scheduled post to ``audience`` when it goes live.

    The minute sweep (``sending.deliveries_sweep``) sends it through ``posts.send_post``
    once the post is live and deletes the row; a refusal then is kept in ``last_error``.
    """

    post = models.OneToOneField("blog.Post", on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=12, choices=Issue.Audience)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.post_id} → {self.audience}"
