"""The blog's URLs come first in the site's map; no post slug can take another page's path."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve

from masthead.blog import views
from masthead.blog.forms import RESERVED_SLUGS


def _routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(full route, module of the view or URLconf) for every pattern of the map."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, getattr(pattern.callback, "__module__", "")


def test_every_other_single_segment_path_is_reserved_from_post_slugs() -> None:
    """A post at /<slug>/ is tried before the other apps: each top-level path they serve
    as /<word>/ must be one a post slug may not take."""
    taken = set()
    for route, module in _routes(get_resolver().url_patterns):
        if module.startswith("masthead.blog"):
            continue
        segment = route.lstrip("^").split("/", 1)[0]
        if route.lstrip("^") in {f"{segment}/", f"{segment}/$"} and "<" not in segment:
            taken.add(segment)
    assert taken, "the map has top-level pages besides the blog's"
    assert taken <= RESERVED_SLUGS, taken - RESERVED_SLUGS


def test_posts_and_the_other_apps_pages_resolve_to_their_views() -> None:
    assert resolve("/a-post/").func == views.post_detail
    assert resolve("/a-post/").kwargs == {"slug": "a-post"}
    assert resolve("/a-post.md").func == views.post_markdown
    assert resolve("/").func == views.home
    for path in ("/tools/", "/accounts/login/", "/newsroom/", "/healthz", "/a-post/comments/"):
        assert not resolve(path).func.__module__.startswith("masthead.blog"), path
    for reserved in ("/tools/", "/search/", "/archive/"):
        assert resolve(reserved).func != views.post_detail, reserved
