"""Who may open the newsroom, and the one place each view asks it.

Every newsroom view is wrapped in ``staff_required`` (any staff role) or in
``role_required(check)`` with a check from ``masthead.members.roles`` (``can_manage_roles``
for people and settings, ``can_publish`` for publishing). The rules:

* signed out: to the sign-in page, with ``next`` set to the page asked for, so the reader
  lands back where they were going;
* signed in without a staff role: 403 (the newsroom is not for members);
* staff without an authenticator app, or who have not passed it in this session: to the
  set-up or confirmation page, as for the admin (ADR 0203), then back here;
* staff whose role does not allow the page: 403 with a message naming the role needed.

Responses are ``no-store`` and ``noindex``: staff pages are per-user and never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from masthead.members import roles
from masthead.members.middleware import has_totp, staff_verified

View = Callable[..., HttpResponse]
Check = Callable[[User | AnonymousUser], bool]


def is_staff_member(user: User | AnonymousUser) -> bool:
    """Holds a staff role (author, editor, admin) or is a superuser; active either way."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(user.is_superuser or roles.roles_of(user))


def _to(name: str, next_path: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_path})}")


def refuse(request: HttpRequest, message: str) -> HttpResponse:
    """403 in the newsroom's own page, saying what is missing."""
    response = render(request, "newsroom/forbidden.html", {"message": message}, status=403)
    return _staff_headers(response)


def _staff_headers(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gate(request: HttpRequest) -> HttpResponse | None:
    """The answer for someone who may not see any newsroom page yet, or None."""
    user = request.user
    if not user.is_authenticated:
        return _to("account_login", request.get_full_path())
    held = roles.roles_of(user) if user.is_active else set()
    request.newsroom_roles = held  # type: ignore[attr-defined]  # the menu reads it
    if not (user.is_active and (user.is_superuser or held)):  # is_staff_member, one query
        return refuse(request, "The newsroom is for the publication's staff.")
    if not staff_verified(request):
        if not has_totp(user):
            return _to("mfa_activate_totp", request.get_full_path())
        return _to("mfa_reauthenticate", request.get_full_path())
    return None


def role_required(check: Check, *, needs: str) -> Callable[[View], View]:
    """Staff whose role passes ``check``; ``needs`` names the role for the 403 message."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refused = _gate(request)
            if refused is not None:
                return refused
            if not check(request.user):
                return refuse(request, f"Only {needs} can do this. Ask an admin if you need to.")
            return _staff_headers(view(request, *args, **kwargs))

        return wrapper

    return decorate


staff_required = role_required(is_staff_member, needs="staff")
admin_required = role_required(roles.can_manage_roles, needs="admins")
editor_required = role_required(roles.can_publish, needs="editors and admins")


ANY_STAFF = frozenset(roles.ROLES)
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("dashboard", "Dashboard", ANY_STAFF),
    ("posts", "Posts", ANY_STAFF),
    ("comments", "Comments", frozenset({roles.EDITOR, roles.ADMIN})),  # editor_required
    ("people", "People", frozenset({roles.ADMIN})),  # admin_required, as the pages
    ("publication", "Publication", frozenset({roles.ADMIN})),
    ("integrations", "Integrations", frozenset({roles.ADMIN})),
    ("exchange", "Import & export", frozenset({roles.ADMIN})),
)
"""The newsroom's menu: URL name (also the page's ``section``), label, and the roles whose
gate (``staff_required`` / ``admin_required``) opens the page, so nobody is shown a link
that answers 403."""


def nav_for(request: HttpRequest) -> list[tuple[str, str]]:
    """The menu items the signed-in user may open, as (URL name, label). The roles come
    from the gate that let this request in (no query); a page outside the gate (the join
    page, a refusal before it) asks once."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return []
    held = getattr(request, "newsroom_roles", None)
    if held is None:
        held = roles.roles_of(user)
    if user.is_superuser:
        return [(name, label) for name, label, _ in NAV]
    return [(name, label) for name, label, needs in NAV if needs & held]
