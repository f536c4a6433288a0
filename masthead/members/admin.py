"""Admin hooks for roles: what authors may do with posts, and who may grant power.

``PostRoleAdminMixin`` goes first in the blog's ``PostAdmin`` bases. Authors see and
change only posts they are an author of, cannot touch the publishing fields or actions,
and are added as an author of what they create. The user admin keeps superuser status
and raw permissions out of reach of anyone but superusers; roles are groups, granted by
admins only (they alone hold ``auth.change_user``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from masthead.members import roles
from masthead.members.models import Profile

PUBLISHING_FIELDS = ("status", "published_at", "featured", "visibility")
PUBLISHING_ACTIONS = ("publish", "unpublish", "feature", "unfeature")


class PostRoleAdminMixin:
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        if roles.can_publish(request.user):
            return queryset
        return queryset.filter(authors=request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and (obj is None or roles.can_edit_post(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and (obj is None or roles.can_publish(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if not roles.can_publish(request.user):
            fields += [name for name in PUBLISHING_FIELDS if name not in fields]
        return fields

    def get_actions(
        self, request: HttpRequest, action_location: Any = admin.ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request, action_location)  # type: ignore[misc]
        if not roles.can_publish(request.user):
            for name in PUBLISHING_ACTIONS:
                actions.pop(name, None)
        return actions

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        if not roles.can_publish(request.user):
            form.instance.authors.add(request.user)


User = get_user_model()


class MembersUserAdmin(UserAdmin):  # type: ignore[type-arg]
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
        return fields


admin.site.unregister(User)
admin.site.register(User, MembersUserAdmin)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "user", "updated_at"]
    search_fields = ["display_name", "user__email"]
    raw_id_fields = ["user"]
