"""Admin hooks for roles: what authors may do with posts, and who may grant power.

Every admin write path asks one question per row (``RowGuardMixin``): the change form,
the delete page, the user admin's password form, and every bulk or change-form action,
which is checked on each selected row before it runs.

``PostRoleAdminMixin`` goes first in the blog's ``PostAdmin`` bases. Authors see and
change only drafts they are an author of (a scheduled or published post is read-only to
them), cannot touch the publishing fields or actions, and are added as an author of what
they create. ``AccountGuardMixin`` guards every admin of an account or of rows that belong
to one (users, email addresses, profiles, authenticators): nobody but a superuser acts on
an account of their own rank or above, grants a role not below their own, or edits
groups' permissions (decision 0201).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from masthead.members import roles
from masthead.members.models import Profile

PUBLISHING_FIELDS = ("status", "published_at", "featured", "visibility")
PUBLISHING_ACTIONS = ("publish", "unpublish", "feature", "unfeature")

ActionFunc = Callable[[Any, HttpRequest, QuerySet[Any]], Any]


class RowGuardMixin:
    """One per-row rule for every write path of a ``ModelAdmin``.

    Subclasses say ``may_change(request, obj)`` (and ``may_delete``, by default the same).
    Django checks ``has_change_permission(request, obj)`` on the change form, the user
    password form and change-form actions; bulk actions only check the model permission,
    so each action is wrapped to check every selected row first, all or nothing.
    """

    def may_change(self, request: HttpRequest, obj: Any) -> bool:
        raise NotImplementedError

    def may_delete(self, request: HttpRequest, obj: Any) -> bool:
        return self.may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and (obj is None or self.may_change(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and (obj is None or self.may_delete(request, obj))

    def rows_check(self, request: HttpRequest, queryset: QuerySet[Any], *, delete: bool) -> None:
        check = self.may_delete if delete else self.may_change
        if not all(check(request, obj) for obj in queryset):
            raise PermissionDenied

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self.rows_check(request, queryset, delete=True)
        super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not self.may_change(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def get_actions(
        self, request: HttpRequest, action_location: Any = admin.ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request, action_location)  # type: ignore[misc]
        return {
            name: dataclasses.replace(action, func=self._guarded(action.func))
            for name, action in actions.items()
        }

    def _guarded(self, func: ActionFunc) -> ActionFunc:
        delete = "delete" in getattr(func, "allowed_permissions", ())

        def guarded(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
            self.rows_check(request, queryset, delete=delete)
            return func(modeladmin, request, queryset)

        return guarded


class PostRoleAdminMixin(RowGuardMixin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if roles.can_publish(request.user):
            return queryset
        return queryset.filter(authors=request.user)

    def may_change(self, request: HttpRequest, obj: Any) -> bool:
        return roles.can_edit_post(request.user, obj)

    def rows_check(self, request: HttpRequest, queryset: QuerySet[Any], *, delete: bool) -> None:
        if not roles.can_publish(request.user):  # editors may act on every post
            super().rows_check(request, queryset, delete=delete)

    def may_delete(self, request: HttpRequest, obj: Any) -> bool:
        return roles.can_publish(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if not roles.can_publish(request.user):
            fields += [name for name in PUBLISHING_FIELDS if name not in fields]
        return fields

    def get_actions(
        self, request: HttpRequest, action_location: Any = admin.ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request, action_location)
        if not roles.can_publish(request.user):
            for name in PUBLISHING_ACTIONS:
                actions.pop(name, None)
        return actions

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        if not roles.can_publish(request.user):
            form.instance.authors.add(request.user)


class PostChildRoleMixin:
    """For inlines of a post (tags): writable exactly when the post is, for this user."""

    def _post_writable(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or roles.can_edit_post(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_add_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._post_writable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._post_writable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and self._post_writable(request, obj)


class AccountGuardMixin(RowGuardMixin):
    """Rows that are an account (``account_field = None``) or belong to one.

    Only accounts strictly below the acting user's rank can be changed or deleted, and a
    row cannot be moved to another account except by a superuser.
    """

    account_field: str | None = "user"

    def account_of(self, obj: Model) -> Any:
        return obj if self.account_field is None else getattr(obj, self.account_field, None)

    def may_change(self, request: HttpRequest, obj: Any) -> bool:
        return roles.may_act_on(request.user, self.account_of(obj))

    def rows_check(self, request: HttpRequest, queryset: QuerySet[Any], *, delete: bool) -> None:
        """All selected rows in two queries, however many (a select-all of members)."""
        prefix = f"{self.account_field}__" if self.account_field else ""
        if queryset.filter(roles.outranking(request.user, prefix)).exists():
            raise PermissionDenied

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if self.account_field and obj is not None and not request.user.is_superuser:
            fields.append(self.account_field)
        return fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self.may_change(request, obj):  # also the account a new row is added to
            raise PermissionDenied
        super().save_model(request, obj, form, change)


User = get_user_model()


class MembersUserAdmin(AccountGuardMixin, UserAdmin):  # type: ignore[type-arg]
    account_field = None

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        """Non-superusers may only hand out roles below their own; no other groups."""
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=roles.grantable_roles(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MembersGroupAdmin(GroupAdmin):
    """Role groups get their permissions from ``roles.groups_sync``; only superusers edit
    groups, so no admin can add a permission to the group they are in."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class MembersEmailAddressAdmin(AccountGuardMixin, EmailAddressAdmin):  # type: ignore[misc]
    pass


class MembersAuthenticatorAdmin(AccountGuardMixin, AuthenticatorAdmin):  # type: ignore[misc]
    """Staff may remove a lower account's lost authenticator; nobody reads or plants one:
    ``data`` holds the TOTP secret and recovery codes."""

    exclude = ("data",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


for model, model_admin in [
    (User, MembersUserAdmin),
    (Group, MembersGroupAdmin),
    (EmailAddress, MembersEmailAddressAdmin),
    (Authenticator, MembersAuthenticatorAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(Profile)
class ProfileAdmin(AccountGuardMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "user", "updated_at"]
    search_fields = ["display_name", "user__email"]
    raw_id_fields = ["user"]
