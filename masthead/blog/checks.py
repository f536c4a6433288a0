"""System checks for the blog's settings (run by ``manage.py check`` and at start-up)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

FORM_OVERHEAD = 256 * 1024  # the post form's other fields and multipart framing


@checks.register(checks.Tags.compatibility)
def post_limit_fits_a_request(**kwargs: Any) -> list[checks.CheckMessage]:
    """A post body must fit in a request Django agrees to read, or saving a body under
    ``MASTHEAD_POST_MAX_BYTES`` would fail with a bare 400 instead of the form error."""
    ceiling = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if ceiling is None or ceiling >= settings.MASTHEAD_POST_MAX_BYTES + FORM_OVERHEAD:
        return []
    return [
        checks.Error(
            f"MASTHEAD_POST_MAX_BYTES ({settings.MASTHEAD_POST_MAX_BYTES:,}) leaves no room "
            f"in DATA_UPLOAD_MAX_MEMORY_SIZE ({ceiling:,}) for the rest of the post form.",
            hint=f"Set MASTHEAD_POST_MAX_BYTES to at most {ceiling - FORM_OVERHEAD:,} bytes.",
            id="blog.E001",
        )
    ]
