"""Accepting an invitation: password, name and authenticator app in one page, then the
newsroom (ADR 0510).

A GET shows the page and consumes nothing (mail scanners open links). The TOTP secret is
made on the first GET and kept in this browser's session, so the QR code stays the same
across a mistyped form; the POST creates the account (``staffing.invitation_accept``),
signs the person in as having passed both password and TOTP, and lands on the dashboard.
Nobody is asked for the password or a code a second time.
"""

from __future__ import annotations

import base64
from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from masthead.errors import MastheadError
from masthead.members import staffing
from masthead.members.models import Invitation
from masthead.newsroom.forms import JoinForm

SESSION_SECRETS = "newsroom_join_totp"
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _secret(request: HttpRequest, invitation: Invitation) -> str:
    secrets = request.session.get(SESSION_SECRETS) or {}
    secret = secrets.get(str(invitation.pk))
    if not secret:
        secret = generate_totp_secret()
        request.session[SESSION_SECRETS] = {**secrets, str(invitation.pk): secret}
    return str(secret)


def _qr(invitation: Invitation, secret: str) -> tuple[str, str]:
    """The otpauth:// address and its QR code (an SVG data URI) for the invitee's app."""
    adapter = get_mfa_adapter()
    url = adapter.build_totp_url(get_user_model()(email=invitation.email), secret)
    svg = adapter.build_totp_svg(url)
    return url, "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _answer(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"  # the token is in the address (ADR 0204)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = staffing.invitation_check(token)
    except MastheadError as error:
        return _answer(request, "newsroom/join_refused.html", {"error": error}, error.status)
    if request.user.is_authenticated:
        other = {"invitation": invitation, "signed_in_as": request.user}
        return _answer(request, "newsroom/join_signed_in.html", other, 409)
    secret = _secret(request, invitation)
    data = request.POST if request.method == "POST" else None
    form = JoinForm(data, email=invitation.email, secret=secret)
    if form.is_valid():
        try:
            user = staffing.invitation_accept(
                token=token,
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                totp_secret=secret,
            )
        except MastheadError as error:
            return _answer(request, "newsroom/join_refused.html", {"error": error}, error.status)
        login(request, user, backend=BACKEND)
        record_authentication(request, user, method="password", email=user.email)
        record_authentication(request, user, method="mfa", type="totp")
        messages.success(
            request,
            "Welcome aboard. Your recovery codes are on your account page, under two-factor: "
            "keep them somewhere safe.",
        )
        return redirect("newsroom:dashboard")
    totp_url, qr = _qr(invitation, secret)
    context: dict[str, Any] = {
        "invitation": invitation,
        "form": form,
        "secret": secret,
        "qr": qr,
        "url": totp_url,
    }
    return _answer(request, "newsroom/join.html", context, 400 if form.is_bound else 200)
