"""Account page views, plus the sign-in wrappers that add status codes allauth lacks.

allauth's login and two-factor forms report a rate-limited attempt as a form error with
status 200; ``MembersLoginView`` and ``lockout_as_429`` (the TOTP pages) answer 429 with
``Retry-After`` so clients and tests see it (A01, decision 0202).

``totp_activate``: staff enrol an authenticator only after proving they read the
account's verified mailbox in the last few minutes (an emailed code), so a stolen
password alone cannot enrol the thief's authenticator (decision 0203).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account import views as allauth_views
from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.account.views import LoginView
from allauth.mfa.base import views as mfa_views
from allauth.mfa.totp import views as totp_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.members import logs, selectors, services
from masthead.members.adapter import MembersAccountAdapter
from masthead.members.forms import AccountDeleteForm, ProfileForm
from masthead.members.middleware import has_totp

LOGIN_LOCK_SECONDS = 300
TOTP_NEXT_KEY = "members_totp_next"
CODE_LOCK_SECONDS = 60
LOCKOUT_CODES = frozenset({"too_many_login_attempts", "rate_limited"})

View = Callable[..., HttpResponse]


def _retry_after(response: HttpResponse, seconds: int) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def _locked_out(form: Form | None) -> bool:
    """Whether a bound form was refused by allauth's failed-attempt limit."""
    if form is None or not form.is_bound:
        return False
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    return bool(codes & LOCKOUT_CODES)


class MembersLoginView(LoginView):  # type: ignore[misc]
    def form_invalid(self, form: Form) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        if _locked_out(form):
            logs.lockout(self.request, what="password", login=str(form.data.get("login", "")))
            return _retry_after(response, LOGIN_LOCK_SECONDS)
        return response


member_login = MembersLoginView.as_view()


def lockout_as_429(view: View) -> View:
    """An allauth form page whose form hit the attempt limit answers 429 + Retry-After.

    The limit on TOTP codes is allauth's ``login_failed`` counter per account (5 in 5
    minutes), so the wait is the password lockout's.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if _locked_out(context.get("form")):
            logs.lockout(request, what="totp")
            return _retry_after(response, LOGIN_LOCK_SECONDS)
        return response

    return wrapper


mfa_authenticate = lockout_as_429(mfa_views.authenticate)
mfa_reauthenticate = lockout_as_429(mfa_views.reauthenticate)
_activate_totp = lockout_as_429(totp_views.activate_totp)


def _read_mailbox_recently(request: HttpRequest) -> bool:
    """An emailed code (sign-in or re-authentication) was typed in this session lately."""
    records = get_authentication_records(request, request.user)
    fresh_after = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return any(r.get("method") == "code" and r.get("at", 0) > fresh_after for r in records)


@never_cache
@login_required
def totp_activate(request: HttpRequest) -> HttpResponse:
    """allauth's TOTP set-up, behind a fresh emailed code for staff (no trust on first use).

    Members choose two-factor for themselves and keep allauth's password re-check. A staff
    account without a verified address cannot receive the code and is told so.

    Typing a correct code from the new app is a TOTP sign-in: it is recorded as one, so
    the page the person was going to (``next``) does not ask for a code again, and they
    are taken there rather than to allauth's two-factor overview (issue 11).
    """
    if request.user.is_staff and not _read_mailbox_recently(request):
        if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
            return render(request, "members/totp_needs_email.html", status=403)
        # Back to this page with its own ?next= (adapter.is_local_path accepts it).
        url = reverse("account_request_reauthentication_code")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    # allauth's form posts to the bare address: keep where to go next in the session.
    asked_next = request.GET.get("next", "")
    if asked_next and MembersAccountAdapter(request).is_safe_url(asked_next):
        request.session[TOTP_NEXT_KEY] = asked_next
    had_totp = has_totp(request.user)
    response = _activate_totp(request)
    if request.method == "POST" and not had_totp and has_totp(request.user):
        record_authentication(request, request.user, method="mfa", type="totp")
        next_url = request.session.pop(TOTP_NEXT_KEY, "")
        if next_url and MembersAccountAdapter(request).is_safe_url(next_url):
            messages.info(
                request,
                "Authenticator set up. Your recovery codes are on your account page, under "
                "two-factor: keep them somewhere safe.",
            )
            return HttpResponseRedirect(next_url)
    return response


def _staff_without_totp(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_staff and not has_totp(user))


def email_manage(request: HttpRequest) -> HttpResponse:
    """allauth's email page; staff without an authenticator cannot add an address.

    The emailed code that lets staff enrol TOTP goes to the account's verified addresses:
    a password thief who could add (and verify) their own address would get it.
    """
    if request.method == "POST" and "action_add" in request.POST and _staff_without_totp(request):
        return render(request, "members/totp_first.html", status=403)
    response: HttpResponse = allauth_views.email(request)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the members' form, with the same limits (A03)."""
    if request.method == "POST":
        response: HttpResponse = member_login(request)
        return response
    next_url = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def confirm_login_code(request: HttpRequest) -> HttpResponse:
    """allauth's code check, one POST at a time per session (A07: one code, one session).

    The lock is kept after a successful sign-in (the code is spent; it expires by itself)
    and released after a wrong code so the reader can try again at once.
    """
    session_key = request.session.session_key
    if request.method != "POST" or not session_key:
        return allauth_views.confirm_login_code(request)  # type: ignore[no-any-return]
    lock = f"members:code-once:{session_key}"
    if not cache.add(lock, True, timeout=CODE_LOCK_SECONDS):
        return render(request, "members/code_in_use.html", status=409)
    response: HttpResponse = allauth_views.confirm_login_code(request)
    if not request.user.is_authenticated:
        cache.delete(lock)
    return response


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    logs.lockout(request, what="rate_limit")
    response = render(request, "members/too_many_requests.html", status=429)
    return _retry_after(response, 60)


def _account_page(request: HttpRequest, form: ProfileForm, status: int = 200) -> HttpResponse:
    context = selectors.account_page_context(user=request.user)  # type: ignore[arg-type]
    return render(request, "members/account_page.html", {**context, "form": form}, status=status)


@never_cache
@login_required
@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    profile = services.profile_get_or_create(user=request.user)  # type: ignore[arg-type]
    return _account_page(request, ProfileForm(initial={"display_name": profile.display_name}))


@login_required
@require_POST
def profile_update(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("avatar", error)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    messages.success(request, "Profile saved.")
    return redirect("members:account")


@login_required
@require_POST
def avatar_remove(request: HttpRequest) -> HttpResponse:
    services.profile_remove_avatar(user=request.user)  # type: ignore[arg-type]
    messages.success(request, "Picture removed.")
    return redirect("members:account")


@never_cache
@login_required
@require_POST
def data_export(request: HttpRequest) -> HttpResponse:
    data = services.account_export(user=request.user)  # type: ignore[arg-type]
    body = json.dumps(data, indent=2, sort_keys=True, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{settings.SITE_NAME}-my-data.json"'
    return response


@never_cache
@login_required
@reauthentication_required(allow_get=True)  # type: ignore[untyped-decorator]
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "members/account_delete.html", {"form": form}, status=status)
    user = request.user
    logout(request)
    services.account_delete(user=user)  # type: ignore[arg-type]
    messages.success(request, "Your account and everything stored with it have been deleted.")
    return redirect(settings.LOGOUT_REDIRECT_URL)
