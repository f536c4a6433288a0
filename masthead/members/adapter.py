"""allauth adapter: links from settings, shorter staff sessions, enumeration-safe mail.

* Every URL placed in an email is rebuilt on ``settings.SITE_URL`` (C09): allauth builds
  them from the request's Host header, which a client controls.
* Staff sessions expire after ``MASTHEAD_STAFF_SESSION_AGE`` (A17); members keep the
  default ``SESSION_COOKIE_AGE``. The sign-in form sets the expiry after ``login`` runs,
  so ``middleware.staff_session_deadline`` applies the staff limit on the way out.
* Mail failures are logged, never shown: the page a visitor sees must not depend on
  whether an address exists or the mail server answered (A05, F10).
* Client addresses come from ``masthead.core.clientip``, so sign-in limits count the same
  client as every other limit on the site (A22).
* An emailed sign-in code is bound to the account's credentials as they were when it was
  sent (A09): a password change, a new address or a deactivation in between makes the code
  sign nobody in. allauth keeps the code in the asking browser's session only, where the
  other browser's password change cannot reach it, so the code's session also keeps a
  fingerprint of the credentials, checked when the code is used.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from masthead.core import publication
from masthead.core.clientip import client_ip
from masthead.members.logs import email_hash

logger = logging.getLogger("masthead.members.mail")
auth_logger = logging.getLogger("masthead.members.auth")

CODE_BINDING_KEY = "masthead_login_code_binding"
STALE_CODE_MESSAGE = (
    "That code no longer works: the account's password or address changed after it was "
    "sent. Ask for a new code."
)


def credentials_fingerprint(user: AbstractBaseUser) -> str:
    """What a sign-in code was issued against: password hash, addresses, active flag."""
    owned = EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)
    addresses = sorted(address.lower() for address in owned)
    material = "|".join([user.password, str(user.is_active), *addresses])
    return salted_hmac("masthead.login-code-binding", material, algorithm="sha256").hexdigest()


def _plain_local(candidate: str) -> bool:
    if not candidate.startswith("/") or candidate[1:2] in {"/", "\\"}:
        return False
    return "\\" not in candidate and not any(ord(c) < 33 or ord(c) == 127 for c in candidate)


def is_local_path(url: str) -> bool:
    """A redirect target we accept: a plain path on this site at every layer of decoding.

    Stricter than Django's check on purpose (A12): no scheme, no host, no backslash, no
    control or whitespace character, in the address as given and after each round of
    percent-decoding (so ``/%2F/evil.example`` and ``/%252F%252Fevil.example`` stay out).
    An encoded slash elsewhere is fine: ``/accounts/2fa/totp/activate/?next=%2Fnewsroom%2F``
    is how a page names where to go after it, and refusing it sent new staff to the home
    page (issue 11). More than three layers of encoding is refused outright.
    """
    candidate = url
    for _ in range(4):
        if not _plain_local(candidate):
            return False
        decoded = unquote(candidate)
        if decoded == candidate:
            return True
        candidate = decoded
    return False


def site_absolute(url: str) -> str:
    """Move ``url`` onto SITE_URL, keeping only its path, query and fragment."""
    parts = urlsplit(url)
    base = urlsplit(settings.SITE_URL)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


class MembersAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {
            key: site_absolute(value)
            if key.endswith("_url") and isinstance(value, str) and value
            else value
            for key, value in context.items()
        }
        context.setdefault("site_name", publication.current().name)
        context.setdefault("site_url", settings.SITE_URL)
        request = context.get("request")
        is_sign_in_code = template_prefix == "account/email/login_code"
        if is_sign_in_code and request is not None and not context.get("reauthentication"):
            _bind_code(request, email)
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.exception(
                "mail_failed template=%s email_hash=%s", template_prefix, email_hash(email)
            )

    def format_email_subject(self, subject: str) -> str:
        """``[<publication name>] subject``: the name set in the newsroom, not the env's."""
        return f"[{publication.current().name}] {subject}"

    def get_client_ip(self, request: HttpRequest) -> str:
        ip = client_ip(request)
        if not ip:  # allauth's contract: no address, no rate-limited action
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_safe_url(self, url: str | None) -> bool:
        return bool(url) and is_local_path(str(url)) and bool(super().is_safe_url(url))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return site_absolute(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return site_absolute(super().get_reset_password_from_key_url(key))

    def pre_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> Any:
        """Refuse a sign-in code whose account changed after the code was sent (A09)."""
        records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
        binding = request.session.pop(CODE_BINDING_KEY, None)
        if records and records[-1].get("method") == "code":
            expected = (binding or {}).get(str(user.pk), "")
            if not constant_time_compare(expected, credentials_fingerprint(user)):
                from allauth.account.internal.stagekit import clear_login

                clear_login(request)
                auth_logger.warning("login_code_stale user=%s", user.pk)
                messages.error(request, STALE_CODE_MESSAGE)
                return HttpResponseRedirect(reverse("account_login"))
        return super().pre_login(request, user, **kwargs)

    def respond_user_inactive(self, request: HttpRequest, user: AbstractBaseUser) -> HttpResponse:
        logger.info("login_inactive user=%s", user.pk)
        response: HttpResponse = super().respond_user_inactive(request, user)
        return response


def _bind_code(request: HttpRequest, email: str) -> None:
    """Keep, in the session that asked for a code, the credentials the code was sent for."""
    request.session[CODE_BINDING_KEY] = {
        str(user.pk): credentials_fingerprint(user)
        for user in filter_users_by_email(email, is_active=True)
    }
