"""Template helpers for the newsroom's own pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from masthead.newsroom import access

register = template.Library()


@register.simple_tag(takes_context=True)
def newsroom_nav(context: template.Context) -> list[dict[str, Any]]:
    """The menu for the signed-in user: only pages their role opens (``access.NAV``)."""
    request = context.get("request")
    if request is None:
        return []
    section = context.get("section")
    return [
        {"url": reverse(f"newsroom:{name}"), "label": label, "current": name == section}
        for name, label in access.nav_for(request)
    ]
