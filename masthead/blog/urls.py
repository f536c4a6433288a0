"""The blog's URL map. Posts live at the root (/<slug>/), so this is mounted last."""

from django.urls import path

from masthead.blog import discovery, feeds, views

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
    path("<slug:slug>.md", views.post_markdown, name="post_markdown"),
    path("<slug:slug>/", views.post_detail, name="post"),
]
