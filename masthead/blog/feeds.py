"""RSS and Atom feeds for the site, each tag and each author.

Links are absolute from ``settings.SITE_URL`` (the syndication framework would otherwise take
the domain from the sites table). Members-only posts appear with their excerpt only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed

from masthead.blog import selectors, seo
from masthead.blog.models import AuthorProfile, Post, Tag
from masthead.core import pagecache, publication

FEED_ITEMS = 20


class SiteRssFeed(Feed):  # type: ignore[type-arg]
    description_template = None

    def title(self, obj: Any = None) -> str:
        return publication.current().name

    def description(self, obj: Any = None) -> str:
        return publication.current().description

    def link(self, obj: Any = None) -> str:
        return seo.absolute("/")

    def feed_url(self, obj: Any = None) -> str:
        return seo.absolute(self.request_path)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request_path = request.path
        return None

    def items(self, obj: Any = None) -> list[Post]:
        return list(selectors.post_list_published().defer(None)[:FEED_ITEMS])

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        if item.is_members_only or not item.body_html:
            return item.excerpt
        return item.body_html

    def item_link(self, item: Post) -> str:
        return seo.absolute(item.get_absolute_url())

    def item_guid(self, item: Post) -> str:
        return f"{seo.absolute('/')}#post-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return ", ".join(a.display_name for a in item.author_profiles)

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.ordered_tags]


class SiteAtomFeed(SiteRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Any = None) -> str:
        return publication.current().description


class TagRssFeed(SiteRssFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Tag:
        self.request_path = request.path
        return selectors.tag_get(slug=kwargs["slug"])

    def title(self, obj: Any = None) -> str:
        return f"{obj.name} · {publication.current().name}"

    def link(self, obj: Any = None) -> str:
        return seo.absolute(obj.get_absolute_url())

    def items(self, obj: Any = None) -> list[Post]:
        return list(selectors.post_list_published(tag=obj).defer(None)[:FEED_ITEMS])


class TagAtomFeed(TagRssFeed):
    feed_type = Atom1Feed


class AuthorRssFeed(SiteRssFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> AuthorProfile:
        self.request_path = request.path
        return selectors.author_get(slug=kwargs["slug"])

    def title(self, obj: Any = None) -> str:
        return f"{obj.display_name} · {publication.current().name}"

    def link(self, obj: Any = None) -> str:
        return seo.absolute(obj.get_absolute_url())

    def items(self, obj: Any = None) -> list[Post]:
        return list(selectors.post_list_published(author=obj).defer(None)[:FEED_ITEMS])


class AuthorAtomFeed(AuthorRssFeed):
    feed_type = Atom1Feed


def kept(feed: Feed) -> Callable[..., HttpResponse]:  # type: ignore[type-arg]
    """``feed`` as a view whose response is kept until the next content change: the same
    for every reader, keyed by its path (an unknown tag or author is a 404, not a key)."""

    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return pagecache.kept_response(("feed", request.path), lambda: feed(request, **kwargs))

    return view
