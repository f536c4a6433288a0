"""The blog's system check: a post body under the limit must fit in a request Django reads."""

from __future__ import annotations

from typing import Any

from masthead.blog.checks import post_limit_fits_a_request


def test_default_post_limit_fits_in_a_request() -> None:
    assert post_limit_fits_a_request() == []


def test_post_limit_above_the_request_limit_is_a_configuration_error(settings: Any) -> None:
    settings.MASTHEAD_POST_MAX_BYTES = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    [error] = post_limit_fits_a_request()
    assert error.id == "blog.E001"
    assert "Set MASTHEAD_POST_MAX_BYTES to at most" in (error.hint or "")
