"""Newsletter pages. Every response to a subscribe attempt is the same redirect, whatever
the address's state; emailed links open a page whose button POSTs (a GET changes nothing).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from masthead.core.clientip import client_ip
from masthead.errors import envelope
from masthead.members.adapter import is_local_path
from masthead.members.middleware import staff_verified
from masthead.newsletter import emails, services, tokens
from masthead.newsletter.models import Issue

_NO_REFERRER = {"Referrer-Policy": "no-referrer"}


def _page(
    request: HttpRequest, template: str, status: int = 200, **context: object
) -> HttpResponse:
    response = render(request, f"newsletter/{template}.html", context, status=status)
    for name, value in _NO_REFERRER.items():
        response.headers[name] = value
    return response


TOO_MANY = "Too many attempts. Try again in an hour."
CHECK_INBOX = (
    "Check your inbox. If that address can get our email, a confirmation link is on its "
    "way. One click on it and you're subscribed."
)


def _wants_json(request: HttpRequest) -> bool:
    """The in-place form (site.js) asks for JSON; a plain form POST gets pages."""
    return "application/json" in request.headers.get("Accept", "")


@csrf_exempt  # the footer form sits on cached pages; double opt-in makes a forged POST harmless
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "subscribe")
    as_json = _wants_json(request)
    if not services.subscribe_allowed(ip=client_ip(request)):
        if as_json:
            return envelope(429, "rate_limited", TOO_MANY, retry_after=3600)
        return _page(request, "subscribe", 429, error=TOO_MANY)
    try:
        source = request.POST.get("source", "footer")[:16]
        services.subscriber_subscribe(email=request.POST.get("email", ""), source=source)
    except services.InvalidEmailError as error:
        if as_json:
            return envelope(400, "invalid_email", str(error))
        return _page(request, "subscribe", 400, error=str(error), email=request.POST.get("email"))
    if as_json:
        return JsonResponse({"ok": True, "message": CHECK_INBOX})
    return redirect("newsletter:thanks", permanent=False)


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, "thanks")


@csrf_exempt  # the signed token authenticates; no-referrer pages POST with "Origin: null"
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber_id, _ = tokens.read(tokens.CONFIRM, token)
    except tokens.BadTokenError:
        return _page(request, "bad_link", 400)
    if request.method != "POST":
        return _page(request, "confirm")
    services.subscriber_confirm(subscriber_id=subscriber_id)
    return _page(request, "confirmed")


@csrf_exempt  # RFC 8058 one-click: mail clients POST without cookies; the token authenticates
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber_id, issue_id = tokens.read(tokens.UNSUBSCRIBE, token)
    except tokens.BadTokenError:
        return _page(request, "bad_link", 400)
    if request.method != "POST":
        return _page(request, "unsubscribe")
    services.subscriber_unsubscribe(subscriber_id=subscriber_id, issue_id=issue_id)
    return _page(request, "unsubscribed")


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The "view in browser" page: public once sent.

    An unsent issue is a preview for staff who may see issues in the admin, under the
    admin's own rule (TOTP set up and passed this session); to anyone else it does not
    exist. A preview is never stored by a cache.
    """
    issue = get_object_or_404(Issue, pk=pk)
    sent = issue.status in {Issue.Status.SENDING, Issue.Status.SENT}
    if not sent and not (
        request.user.has_perm("newsletter.view_issue") and staff_verified(request)
    ):
        raise Http404
    response = render(
        request, "newsletter/issue_detail.html", emails.issue_context(issue, web=True)
    )
    if not sent:
        add_never_cache_headers(response)
    return response


@login_required
@require_POST
def account(request: HttpRequest) -> HttpResponse:
    """The account page's switch: subscribing starts double opt-in for the member's email."""
    services.subscriber_account_toggle(user=request.user, on=request.POST.get("on") == "1")
    back = request.POST.get("next", "")
    return redirect(back if is_local_path(back) else "members:account")


_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@never_cache
@require_http_methods(["GET", "HEAD"])
def opened(request: HttpRequest, token: str) -> HttpResponse:
    """The open-count pixel: one more open for the issue, nothing about who (0310)."""
    try:
        issue_id, _ = tokens.read(tokens.COUNT, token)
    except tokens.BadTokenError:
        return HttpResponse(status=400)
    if request.method == "GET":
        services.issue_count(issue_id=issue_id, field="opens")
    return HttpResponse(_GIF, content_type="image/gif", headers=_NO_REFERRER)


@never_cache
@require_http_methods(["GET", "HEAD"])
def clicked(request: HttpRequest, token: str) -> HttpResponse:
    """A counted link: one more click for the issue, then on to the page on this site."""
    try:
        issue_id, path = tokens.read_link(token)
    except tokens.BadTokenError:
        return _page(request, "bad_link", 400)
    if request.method == "GET":
        services.issue_count(issue_id=issue_id, field="clicks")
    return redirect(path if is_local_path(path) else "/")
