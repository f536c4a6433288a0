"""The newsroom's pages, mounted at /newsroom/. Each area keeps its views in its own module."""

from django.urls import URLPattern, URLResolver, path

from masthead.newsroom import dashboard, people, publication

app_name = "newsroom"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("posts/", dashboard.posts_placeholder, name="posts"),
    path("people/", people.people_list, name="people"),
    path("publication/", publication.publication_edit, name="publication"),
]
