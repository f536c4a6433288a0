"""People: invite staff, change their roles, remove them (admins only), and the page where
an invited person joins (ADR 0510).

Every write asks ``masthead.members.staffing``, which checks the role rules again (only
admins; only accounts and roles below one's own), so a forged form cannot do more than
the page offers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from masthead.errors import MastheadError
from masthead.members import roles, staffing
from masthead.newsroom.access import admin_required
from masthead.newsroom.forms import InviteForm, RoleForm


def _page(request: HttpRequest, form: InviteForm | None = None, status: int = 200) -> HttpResponse:
    actor = request.user
    people = staffing.staff_list()
    for row in people:
        row["may_change"] = roles.may_act_on(actor, row["user"])
    context = {
        "section": "people",
        "form": form or InviteForm(actor=actor),
        "people": people,
        "invitations": staffing.invitation_list_open(),
        "grantable": roles.grantable_roles(actor),
    }
    return render(request, "newsroom/people_list.html", context, status=status)


@require_GET
@admin_required
def people_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _join_path(token: str) -> str:
    return reverse("newsroom:join", kwargs={"token": token})


@require_POST
@admin_required
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        staffing.invitation_create(
            actor=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            path_for=_join_path,
        )
    except MastheadError as error:
        form.add_error(None, error.message)
        return _page(request, form, status=error.status)
    messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    return redirect("newsroom:people")


def _target(user_id: int):  # type: ignore[no-untyped-def]
    return get_object_or_404(get_user_model(), pk=user_id)


def _refused(request: HttpRequest, error: MastheadError) -> HttpResponse:
    messages.error(request, error.message)
    return _page(request, status=error.status)


@require_POST
@admin_required
def role_change(request: HttpRequest, user_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _refused(request, MastheadError("bad_role", "Choose one of the roles.", status=400))
    user = _target(user_id)
    try:
        staffing.role_set(actor=request.user, user=user, role=form.cleaned_data["role"])  # type: ignore[arg-type]
    except MastheadError as error:
        return _refused(request, error)
    messages.success(request, f"{user.email} is now {form.cleaned_data['role']}.")
    return redirect("newsroom:people")


@require_POST
@admin_required
def remove(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _target(user_id)
    try:
        staffing.staff_remove(actor=request.user, user=user)  # type: ignore[arg-type]
    except MastheadError as error:
        return _refused(request, error)
    messages.success(request, f"{user.email} is no longer staff; their account stays.")
    return redirect("newsroom:people")


@require_POST
@admin_required
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    staffing.invitation_revoke(actor=request.user, invitation_id=invitation_id)  # type: ignore[arg-type]
    messages.success(request, "Invitation withdrawn.")
    return redirect("newsroom:people")
