"""Staff comings and goings: email invitations, role changes, removals (ADR 0510).

An admin invites an address with a role below their own (``roles.grantable_roles``). The
email carries a link with a signed token: ``signing.dumps`` of the invitation's id and a
random secret, of which only a SHA-256 hash is stored. The link is:

* **signed**: a changed or made-up token fails the signature check;
* **expiring**: ``MASTHEAD_INVITATION_HOURS`` after it was sent (the signature's own age
  and the row's ``expires_at`` both say so);
* **single use**: accepting locks the row and sets ``accepted_at``; a second use, or a
  link replaced by a newer invitation to the same address, is refused.

Accepting creates the account in one transaction: password, verified address (the link
proved the mailbox), display name, role, TOTP authenticator (the code typed from the new
app proves it was set up) and recovery codes. Nothing is half-made if any step fails.

Role changes and removals follow the same rule as the admin (ADR 0201): only admins, only
on accounts below their own rank, only to roles below their own.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from masthead.core import publication
from masthead.errors import MastheadError
from masthead.members import roles
from masthead.members.logs import email_hash
from masthead.members.models import Invitation, Profile

log = logging.getLogger("masthead.members.staffing")

SALT = "masthead.members.invitation"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _refuse(code: str, message: str, status: int) -> MastheadError:
    return MastheadError(code, message, status=status)


def account_exists(email: str) -> bool:
    return bool(
        get_user_model().objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _check_may_grant(actor: User, role: str) -> None:
    if not roles.can_manage_roles(actor):
        raise _refuse("not_allowed", "Only admins invite people and change roles.", 403)
    if role not in roles.grantable_roles(actor):
        raise _refuse("role_not_allowed", f"You cannot give the {role} role.", 403)


def invitation_create(
    *, actor: User, email: str, role: str, path_for: Callable[[str], str]
) -> tuple[Invitation, str]:
    """Store an invitation and email its link; returns the row and the link.

    ``path_for(token)`` is the path of the page that accepts it (the newsroom's); the
    link is that path on ``SITE_URL``, never on the request's host.

    Earlier open invitations to the same address stop working. If the mail server refuses
    the message, nothing is stored and ``MastheadError(mail_failed)`` says so.
    """
    _check_may_grant(actor, role)
    email = email.strip().lower()
    if account_exists(email):
        raise _refuse(
            "account_exists",
            f"{email} already has an account. Change its role in the list below instead.",
            409,
        )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        now = timezone.now()
        Invitation.objects.filter(email=email, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            invited_by=actor,
            secret_hash=_hash(secret),
            expires_at=now + timedelta(hours=settings.MASTHEAD_INVITATION_HOURS),
        )
        token = signing.dumps({"i": invitation.pk, "s": secret}, salt=SALT)
        link = f"{settings.SITE_URL}{path_for(token)}"
        _send(invitation, link, actor)
    return invitation, link


def _send(invitation: Invitation, link: str, actor: User) -> None:
    look = publication.current()
    inviter = getattr(getattr(actor, "profile", None), "display_name", "") or actor.email
    context = {
        "site_name": look.name,
        "inviter": inviter,
        "role": invitation.role,
        "link": link,
        "hours": settings.MASTHEAD_INVITATION_HOURS,
    }
    subject = render_to_string("members/email/invitation_subject.txt", context).strip()
    body = render_to_string("members/email/invitation_message.txt", context)
    try:
        EmailMessage(subject, body, to=[invitation.email]).send()
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("invitation_mail_failed email_hash=%s", email_hash(invitation.email))
        raise _refuse(
            "mail_failed",
            "The invitation email could not be sent, so nothing was saved. Try again in a "
            "few minutes, or check the site's mail settings.",
            503,
        ) from exc
    log.info("invitation_sent id=%s role=%s", invitation.pk, invitation.role)


def invitation_revoke(*, actor: User, invitation_id: int) -> None:
    if not roles.can_manage_roles(actor):
        raise _refuse("not_allowed", "Only admins invite people and change roles.", 403)
    Invitation.objects.filter(pk=invitation_id, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


def invitation_check(token: str, *, for_update: bool = False) -> Invitation:
    """The open invitation ``token`` names; raises MastheadError saying why it cannot be used."""
    max_age = timedelta(hours=settings.MASTHEAD_INVITATION_HOURS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise _expired() from None
    except signing.BadSignature:
        raise _invalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), str):
        raise _invalid()
    if not isinstance(data.get("i"), int):
        raise _invalid()
    rows = Invitation.objects.select_for_update() if for_update else Invitation.objects
    invitation = rows.filter(pk=data["i"]).first()
    if invitation is None or not constant_time_compare(invitation.secret_hash, _hash(data["s"])):
        raise _invalid()
    if invitation.accepted_at is not None:
        raise _refuse(
            "invitation_used",
            "This invitation has already been used. Sign in instead, or ask for a new one.",
            410,
        )
    if invitation.revoked_at is not None:
        raise _refuse(
            "invitation_revoked",
            "This invitation was withdrawn or replaced by a newer one. Use the latest email, "
            "or ask an admin for a new invitation.",
            410,
        )
    if invitation.expires_at <= timezone.now():
        raise _expired()
    return invitation


def _expired() -> MastheadError:
    return _refuse(
        "invitation_expired", "This invitation has expired. Ask an admin to send a new one.", 410
    )


def _invalid() -> MastheadError:
    return _refuse(
        "invitation_invalid",
        "This invitation link is not valid. Copy the whole link from the email, or ask for a "
        "new invitation.",
        404,
    )


def _username_for(email: str) -> str:
    base = "".join(c for c in email.split("@")[0] if c.isalnum() or c in "._-")[:100] or "staff"
    model = get_user_model()
    candidate, n = base, 1
    while model.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def invitation_accept(*, token: str, password: str, display_name: str, totp_secret: str) -> User:
    """Create the invited account with its password, role and authenticator, at once."""
    with transaction.atomic():
        invitation = invitation_check(token, for_update=True)
        if account_exists(invitation.email):
            raise _refuse("account_exists", "This address already has an account.", 409)
        user: User = get_user_model().objects.create_user(
            username=_username_for(invitation.email), email=invitation.email, password=password
        )
        EmailAddress.objects.create(user=user, email=invitation.email, verified=True, primary=True)
        Profile.objects.create(user=user, display_name=display_name)
        roles.role_assign(user=user, role=invitation.role)
        TOTP.activate(user, totp_secret)
        RecoveryCodes.activate(user)
        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user", "updated_at"])
    log.info("invitation_accepted id=%s user=%s", invitation.pk, user.pk)
    return user


# --- People ------------------------------------------------------------------------------


def staff_list() -> list[dict[str, Any]]:
    """Everyone holding a staff role, with role, name and two-factor state (3 queries)."""
    model = get_user_model()
    users = list(
        model.objects.filter(Q(groups__name__in=roles.ROLES) | Q(is_superuser=True))
        .distinct()
        .select_related("profile")
        .prefetch_related("groups")
        .order_by("email")
    )
    with_totp = set(
        Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    rows = []
    for user in users:
        held = [g.name for g in user.groups.all() if g.name in roles.RANKS]
        role = "superuser" if user.is_superuser else max(held, key=roles.RANKS.__getitem__)
        profile = getattr(user, "profile", None)
        rows.append(
            {
                "user": user,
                "name": getattr(profile, "display_name", "") or user.email,
                "role": role,
                "has_totp": user.pk in with_totp,
            }
        )
    return rows


def invitation_list_open() -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("invited_by")
    )


def _check_may_act(actor: User, user: User) -> None:
    if not roles.can_manage_roles(actor):
        raise _refuse("not_allowed", "Only admins invite people and change roles.", 403)
    if not roles.may_act_on(actor, user):
        raise _refuse(
            "not_allowed",
            "You cannot change this account: it is yours, or its role is not below your own.",
            403,
        )


def role_set(*, actor: User, user: User, role: str) -> None:
    """Give ``user`` exactly ``role`` (replacing the staff role they had)."""
    _check_may_act(actor, user)
    _check_may_grant(actor, role)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
        roles.role_assign(user=user, role=role)
    log.info("role_set user=%s role=%s by=%s", user.pk, role, actor.pk)


def staff_remove(*, actor: User, user: User) -> None:
    """Take every staff role away; the account stays, as a member's."""
    _check_may_act(actor, user)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=roles.ROLES))
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    log.info("staff_removed user=%s by=%s", user.pk, actor.pk)
