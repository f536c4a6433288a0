"""The newsroom's pages, mounted at /newsroom/. Each area keeps its views in its own module."""

from django.urls import URLPattern, URLResolver, include, path

from masthead.newsroom import (
    dashboard,
    exchange,
    integrations,
    join,
    moderation,
    people,
    posts,
    publication,
)

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
    path("comments/", moderation.queue, name="comments"),
    path("comments/<int:pk>/<slug:action>/", moderation.act, name="comment_act"),
    path("publication/", publication.publication_edit, name="publication"),
    path("integrations/", integrations.integrations, name="integrations"),
    path("integrations/webhooks/", integrations.webhook_new, name="webhook_new"),
    path("integrations/webhooks/<int:webhook_id>/", integrations.webhook_log, name="webhook_log"),
    path(
        "integrations/webhooks/<int:webhook_id>/delete/",
        integrations.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "integrations/webhooks/<int:webhook_id>/toggle/",
        integrations.webhook_toggle,
        name="webhook_toggle",
    ),
    path("integrations/keys/", integrations.key_new, name="key_new"),
    path("integrations/keys/revoke/", integrations.key_revoke, name="key_revoke"),
    path("exchange/", include(exchange.urlpatterns)),  # Import & export, "newsroom:exchange"
    path("join/<str:token>/", join.join, name="join"),
]
