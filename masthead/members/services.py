"""Writes for the members app: profile edits, avatars, data export and account deletion."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from masthead.members import sections
from masthead.members.models import Profile
from masthead.ocr.sizes import format_size

logger = logging.getLogger("masthead.members")

AVATAR_FORMATS = frozenset({"PNG", "JPEG", "GIF", "WEBP"})
AVATAR_MAX_SIDE_IN = 4096  # checked from the header, before any pixel is decoded
AVATAR_SIDE_OUT = 256


def profile_get_or_create(*, user: User) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def avatar_reencode(upload: UploadedFile[bytes]) -> bytes:
    """Decode an uploaded picture and re-encode it as a small PNG.

    Only the decoded pixels survive, so metadata, trailing data and polyglot tricks in
    the upload never reach storage.

    Raises:
        ValidationError: too big, not an allowed image type, or unreadable.
    """
    if upload.size is None or upload.size > settings.MASTHEAD_AVATAR_MAX_BYTES:
        limit = format_size(settings.MASTHEAD_AVATAR_MAX_BYTES)
        raise ValidationError(f"The picture must be smaller than {limit}.", "too_big")
    try:
        with Image.open(upload) as image:
            if image.format not in AVATAR_FORMATS:
                raise ValidationError("Use a PNG, JPEG, GIF or WebP picture.", "bad_type")
            if max(image.size) > AVATAR_MAX_SIDE_IN or min(image.size) < 1:
                raise ValidationError("The picture is too large; try a smaller one.", "too_big")
            image.seek(0)
            image.thumbnail((AVATAR_SIDE_OUT, AVATAR_SIDE_OUT))
            pixels = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError("That file is not a picture we can read.", "bad_image") from error
    out = io.BytesIO()
    pixels.save(out, format="PNG", optimize=True)
    return out.getvalue()


def profile_update(
    *, user: User, display_name: str, avatar: UploadedFile[bytes] | None = None
) -> Profile:
    """Save the name and, if given, a new avatar; the old avatar file is removed."""
    avatar_bytes = avatar_reencode(avatar) if avatar is not None else None
    profile = profile_get_or_create(user=user)
    old_name = profile.avatar.name if profile.avatar else ""
    profile.display_name = display_name
    if avatar_bytes is not None:
        profile.avatar.save("avatar.png", ContentFile(avatar_bytes), save=False)
    profile.save()
    if avatar_bytes is not None and old_name:
        profile.avatar.storage.delete(old_name)
    return profile


def profile_remove_avatar(*, user: User) -> None:
    profile = profile_get_or_create(user=user)
    if profile.avatar:
        profile.avatar.delete(save=True)


def account_export(*, user: User) -> dict[str, Any]:
    """Everything stored about ``user``: account, profile, emails, and each app's part."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    profile = Profile.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "account": {
            "id": user.pk,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "display_name": profile.display_name if profile else "",
            "avatar": profile.avatar.url if profile and profile.avatar else None,
        },
        "emails": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }
    for key, exporter in sections.exporters().items():
        data[key] = exporter(user)
    return data


def account_delete(*, user: User) -> None:
    """Delete the user and, by CASCADE, every row of theirs; then the avatar file."""
    profile = Profile.objects.filter(user=user).first()
    avatar_name = profile.avatar.name if profile and profile.avatar else ""
    storage = profile.avatar.storage if profile else None
    user_id = user.pk
    with transaction.atomic():
        user.delete()
    if avatar_name and storage is not None:
        storage.delete(avatar_name)
    logger.info("account_deleted user=%s", user_id)
