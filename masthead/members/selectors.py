"""Reads for the account page."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User

from masthead.members import roles, sections
from masthead.members.models import Profile


def account_page_context(*, user: User) -> dict[str, Any]:
    return {
        "profile": Profile.objects.filter(user=user).first(),
        "emails": list(EmailAddress.objects.filter(user=user).order_by("-primary", "email")),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "has_password": user.has_usable_password(),
        "roles": sorted(roles.roles_of(user)),
        "sections": sections.sections(),
    }
