"""Two guards around sign-in.

``AuthPagesMiddleware``: sign-in rate limits live in the shared cache. When that store
cannot be reached, POSTs to the sign-in pages answer 503 rather than letting an attacker
guess passwords with no limit in place (decision 4). Sign-in pages, which show or take
one-time codes, also send ``Referrer-Policy: same-origin`` (A25): no address from them
ever reaches another site. Not ``no-referrer``: Chromium then sends ``Origin: null`` on
the page's own form posts, which CSRF protection must refuse (docs/decisions/0204).

``StaffTwoFactorMiddleware``: the admin is only for staff who set up TOTP and passed it
in this session; staff sessions also end ``MASTHEAD_STAFF_SESSION_AGE`` after sign-in, on
the server and in the browser: the session's expiry (and so the cookie's Max-Age and
Expires) is set to that moment, whatever the sign-in form set. Staff-only views outside
the admin ask ``staff_verified`` (the same rule) before showing anything staff-only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from masthead.core.stores import store_errors

logger = logging.getLogger("masthead.members.auth")

LOGIN_AT_KEY = "members_login_at"
RETRY_AFTER_SECONDS = 30

_AUTH_PREFIXES = ("/accounts/", "/admin/login/")

Handler = Callable[[HttpRequest], HttpResponse]


def _guarded(request: HttpRequest) -> bool:
    return request.method == "POST" and (
        request.path.startswith("/accounts/") or request.path == reverse("admin:login")
    )


def store_unavailable(request: HttpRequest) -> HttpResponse:
    body = render_to_string("members/store_unavailable.html", request=request)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class AuthPagesMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _guarded(request):
            try:
                cache.get("members:limiter-probe")
            except store_errors():
                logger.error("limiter_store_down path=%s", request.path)
                return store_unavailable(request)
        response = self.get_response(request)
        if request.path.startswith(_AUTH_PREFIXES):
            response["Referrer-Policy"] = "same-origin"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _guarded(request) and isinstance(exception, store_errors()):
            logger.error("limiter_store_failed path=%s", request.path)
            # The view stopped half-way: a sign-in it began must not be saved with this
            # 503, or the reader would be signed in behind an error page.
            if hasattr(request, "session"):
                request.session.modified = False
            return store_unavailable(request)
        return None


def login_time_mark(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """``user_logged_in`` receiver: the absolute staff session limit counts from here."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = time.time()


def _redirect(name: str, next_path: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_path})}")


def _passed_mfa(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def has_totp(user: object) -> bool:
    """Whether ``user`` has set up an authenticator app (the admin requires one for staff)."""
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def staff_verified(request: HttpRequest) -> bool:
    """What the admin asks of staff: TOTP set up and passed in this session.

    Views outside ``/admin/`` that show staff-only content (draft previews) ask this too;
    without it they answer as they would to a visitor.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return has_totp(user) and _passed_mfa(request)


def staff_session_deadline(request: HttpRequest) -> None:
    """Make a staff session, and its cookie, expire at sign-in + the staff age.

    allauth's sign-in form sets the member expiry (``SESSION_COOKIE_AGE``) after our
    adapter runs, so this is applied on the way out of every staff request; it writes only
    when the stored expiry differs (once per sign-in).
    """
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff):
        return
    login_at = request.session.get(LOGIN_AT_KEY)
    if login_at is None:
        return
    deadline = datetime.fromtimestamp(login_at + settings.MASTHEAD_STAFF_SESSION_AGE, tz=UTC)
    if request.session.get("_session_expiry") != deadline.isoformat():
        request.session.set_expiry(deadline)


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.check(request) or self.get_response(request)
        staff_session_deadline(request)
        return response

    def check(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        login_at = request.session.get(LOGIN_AT_KEY, 0)
        if time.time() - login_at > settings.MASTHEAD_STAFF_SESSION_AGE:
            logout(request)
            return _redirect("account_login", request.get_full_path())
        admin_root = reverse("admin:index")
        if not request.path.startswith(admin_root) or request.path == reverse("admin:login"):
            return None
        if not has_totp(user):
            messages.info(request, "Set up an authenticator app to use the admin.")
            return _redirect("mfa_activate_totp", request.get_full_path())
        if not _passed_mfa(request):
            return _redirect("mfa_reauthenticate", request.get_full_path())
        return None
