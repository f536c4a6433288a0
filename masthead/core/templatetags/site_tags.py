"""Formatting-only template helpers shared by every app (they never query)."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same escapes as Django's json_script: the JSON can never close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: Any) -> SafeString:
    """``<script type="application/ld+json">`` with the data safely escaped.

    A data block, not a script: browsers never execute it, so it needs no CSP nonce.
    """
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    # The payload is escaped above so it cannot end the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308  # nosec


@register.filter
def minutes_read(value: int) -> str:
    return f"{max(int(value or 1), 1)} min read"


@register.filter
def is_current(path: str, url: str) -> bool:
    """Whether a navigation link to ``url`` is the section ``path`` is in."""
    if not url.startswith("/"):
        return False
    return path == url or (url != "/" and path.startswith(url))
