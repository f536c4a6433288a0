"""The blog's URL map. Posts live at the root (/<slug>/).

It is mounted first: readers' pages resolve before the site's other 40-odd routes are
tried (walking them cost a post page about 0.3 ms). A post slug never takes a reserved
first segment (``RESERVED_SLUGS``: the other apps' top-level paths), so /tools/ or
/accounts/ still reach their apps; tests/blog/test_urls.py checks the list against the
URL map.
"""

from django.urls import path, register_converter

from masthead.blog import discovery, feeds, views
from masthead.blog.forms import RESERVED_SLUGS


class PostSlugConverter:
    """A slug that is not one of the site's own top-level paths."""

    regex = "[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        if value in RESERVED_SLUGS:
            raise ValueError(f"{value!r} is another page's path")
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PostSlugConverter, "post")

app_name = "blog"
urlpatterns = [
    path("", views.home, name="home"),
    path("blog/", views.post_list, name="post_list"),
    path("archive/", views.archive, name="archive"),
    path("search/", views.search, name="search"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("tag/<slug:slug>/rss/", feeds.kept(feeds.TagRssFeed()), name="tag_rss"),
    path("tag/<slug:slug>/atom/", feeds.kept(feeds.TagAtomFeed()), name="tag_atom"),
    path("author/<slug:slug>/", views.author_detail, name="author"),
    path("author/<slug:slug>/rss/", feeds.kept(feeds.AuthorRssFeed()), name="author_rss"),
    path("author/<slug:slug>/atom/", feeds.kept(feeds.AuthorAtomFeed()), name="author_atom"),
    path("feed/rss/", feeds.kept(feeds.SiteRssFeed()), name="rss"),
    path("feed/atom/", feeds.kept(feeds.SiteAtomFeed()), name="atom"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", discovery.sitemap_section, name="sitemap-section"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("llms.txt", discovery.llms_txt, name="llms"),
    path("preview/<str:token>/", views.post_preview, name="preview"),
    path("<post:slug>.md", views.post_markdown, name="post_markdown"),
    path("<post:slug>/", views.post_detail, name="post"),
]
