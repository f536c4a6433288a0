"""Audit log lines for sign-in events (A25): UTC time, user id or hashed email, IP.

Raw email addresses, passwords and codes are never written; the email is reduced to a
short SHA-256 prefix so repeated attempts on one address can still be correlated.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from masthead.core.clientip import client_ip

logger = logging.getLogger("masthead.members.auth")


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def _ip(request: HttpRequest | None) -> str:
    if request is None:
        return "-"
    return client_ip(request) or "-"


def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    logger.info("login_succeeded user=%s ip=%s", user.pk, _ip(request))


def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    logger.info("logout user=%s ip=%s", getattr(user, "pk", "-"), _ip(request))


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    login = str(credentials.get("email") or credentials.get("username") or "")
    logger.warning("login_failed email_hash=%s ip=%s", email_hash(login), _ip(request))


def lockout(request: HttpRequest, *, what: str, login: str = "") -> None:
    """A sign-in answer of 429: the limit that refused it, on which account and from where."""
    user = getattr(request, "user", None)
    who = (
        f"user={user.pk}"
        if user is not None and user.is_authenticated
        else f"email_hash={email_hash(login) if login else '-'}"
    )
    ip, path = _ip(request), request.path
    logger.warning("login_locked_out what=%s %s ip=%s path=%s", what, who, ip, path)


def connect() -> None:
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="members_logged_in")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="members_logged_out")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="members_login_failed")
