"""Content API keys: create, revoke, check. The newsroom's key page calls these too."""

from __future__ import annotations

import re
import secrets

from django.utils import timezone

from masthead.errors import MastheadError
from masthead.exchange.models import ContentKey

KEY_FORMAT = re.compile(r"^[0-9a-f]{26}$")


def content_key_create(*, name: str) -> ContentKey:
    """A new key: 26 lower-case hex characters (the form Ghost's Content API clients check)."""
    name = name.strip()
    if not name:
        raise MastheadError("invalid_name", "Give the key a name, for example the app it is for.")
    return ContentKey.objects.create(name=name[:120], key=secrets.token_hex(13))


def content_key_revoke(*, key: str) -> ContentKey:
    found = ContentKey.objects.filter(key=key.strip().lower()).first()
    if found is None:
        raise MastheadError("not_found", "There is no such Content API key.", status=404)
    if found.revoked_at is None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at", "updated_at"])
    return found


def content_key_list() -> list[ContentKey]:
    return list(ContentKey.objects.all())


def content_key_valid(key: str) -> bool:
    if not KEY_FORMAT.match(key):
        return False
    return ContentKey.objects.filter(key=key, revoked_at__isnull=True).exists()
