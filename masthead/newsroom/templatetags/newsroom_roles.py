"""Role checks for the newsroom's templates: the nav shows admin-only areas to admins."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.members import roles

register = template.Library()


@register.filter
def manages_site(user: Any) -> bool:
    """True for admins (the role that may open Integrations); the views check again."""
    return bool(roles.can_manage_roles(user))
