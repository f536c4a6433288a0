from django.urls import path, re_path

from masthead.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("theme.css", views.theme_css, name="theme_css"),
    re_path(r"^media/(?P<path>.+)$", views.media_file, name="media"),
]
