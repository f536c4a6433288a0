"""A member's public profile: the name and picture shown next to what they write.

The login identity (email, password, MFA) lives in Django's user and allauth's tables;
this row only holds what the member chose to show. It goes with the user (CASCADE).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from masthead.core.models import TimeStampedModel


def avatar_path(instance: Profile, filename: str) -> str:
    """Server-chosen name: the uploaded name never reaches the file system."""
    return f"avatars/{uuid.uuid4().hex}.png"


class Profile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80, blank=True)
    avatar = models.ImageField(upload_to=avatar_path, blank=True)

    def __str__(self) -> str:
        return self.display_name or f"member {self.user_id}"


class Invitation(TimeStampedModel):
    """An emailed invitation to join the staff with a role (``members.invitations``).

    The link carries a signed token; only a hash of its random part is stored. It is
    single use (``accepted_at``, set under a row lock) and expires at ``expires_at``.
    """

    email = models.EmailField()
    role = models.CharField(max_length=20)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    secret_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.role}"
