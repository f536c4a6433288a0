"""The site's URL map: each app owns its own ``urls.py``; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path

from masthead.api import api
from masthead.members import views as members_views

urlpatterns = [
    # First: readers' pages; a post slug never takes another app's path (blog/urls.py).
    path("", include("masthead.blog.urls")),
    path("admin/login/", members_views.admin_login, name="admin_login_members"),
    path("admin/", admin.site.urls),
    path("accounts/", include("masthead.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("newsletter/", include("masthead.newsletter.urls")),
    path("newsroom/", include("masthead.newsroom.urls")),
    path("api/", api.urls),
    path("ghost/api/content/", include("masthead.exchange.urls")),
    path("", include("masthead.tools.urls")),
    path("", include("masthead.core.urls")),
    path("", include("masthead.comments.urls")),
]

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
handler429 = "masthead.members.views.too_many_requests"  # allauth's rate limits
