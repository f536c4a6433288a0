"""The site's URL map: each app owns its own ``urls.py``; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("masthead.members.urls")),
    path("accounts/", include("allauth.urls")),
    path("newsletter/", include("masthead.newsletter.urls")),
    path("", include("masthead.tools.urls")),
    path("", include("masthead.core.urls")),
    path("", include("masthead.blog.urls")),
]

handler404 = "masthead.core.views.page_not_found"
handler500 = "masthead.core.views.server_error"
