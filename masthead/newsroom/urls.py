"""The newsroom's pages, mounted at /newsroom/. Each area keeps its views in its own module."""

from django.urls import URLPattern, URLResolver, include, path

from masthead.newsroom import dashboard, exchange, join, people, posts, publication

app_name = "newsroom"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("posts/", include(posts.urlpatterns)),  # the list is "newsroom:posts"
    path("people/", people.people_list, name="people"),
    path("people/invite/", people.invite, name="invite"),
    path("people/<int:user_id>/role/", people.role_change, name="role_change"),
    path("people/<int:user_id>/remove/", people.remove, name="remove"),
    path(
        "people/invitations/<int:invitation_id>/withdraw/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path("publication/", publication.publication_edit, name="publication"),
    path("exchange/", include(exchange.urlpatterns)),  # Import & export, "newsroom:exchange"
    path("join/<str:token>/", join.join, name="join"),
]
