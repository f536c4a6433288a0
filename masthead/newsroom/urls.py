"""The newsroom's pages, mounted at /newsroom/. Each area keeps its views in its own module."""

from django.urls import URLPattern, URLResolver, include, path

from masthead.newsroom import dashboard, people, posts, publication

app_name = "newsroom"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("posts/", include(posts.urlpatterns)),  # the list is "newsroom:posts"
    path("people/", people.people_list, name="people"),
    path("publication/", publication.publication_edit, name="publication"),
]
