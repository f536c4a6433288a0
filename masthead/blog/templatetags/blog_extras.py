"""Display helpers for posts: the hero <picture> with its responsive sources."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.files.storage import default_storage

from masthead.blog import images
from masthead.blog.models import Post

register = template.Library()


@register.inclusion_tag("blog/_hero.html")
def post_hero(post: Post, sizes: str = "100vw", eager: bool = False) -> dict[str, Any]:
    """Sources for a post's hero image; width/height are set so nothing shifts on load."""
    renditions = post.hero_renditions or []
    return {
        "post": post,
        "src": default_storage.url(post.hero_image.name) if post.hero_image else "",
        "avif": images.srcset(renditions, "image/avif"),
        "webp": images.srcset(renditions, "image/webp"),
        "sizes": sizes,
        "eager": eager,
    }
