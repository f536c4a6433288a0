"""Display helpers for posts: the card, its meta line and the hero ``<picture>``
(markup built in ``masthead.blog.cards``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from masthead.blog import cards

register = template.Library()


@register.simple_tag
def post_hero(post: Any, sizes: str = "100vw", eager: bool = False) -> SafeString:
    """Sources for a post's hero image; width/height are set so nothing shifts on load."""
    return cards.hero_html(post, sizes, eager)


@register.simple_tag
def post_meta(post: Any) -> SafeString:
    """Authors, date and reading time of a post."""
    return cards.meta_html(post)


@register.simple_tag
def post_card(post: Any, level: Any = "2", large: Any = False) -> SafeString:
    """A post's card in a list (``level`` is the title's heading level)."""
    return cards.card_html(post, str(level or "2"), bool(large))
