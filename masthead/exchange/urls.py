"""The Ghost-compatible Content API (mounted at ``/ghost/api/content/``)."""

from django.urls import path, re_path

from masthead.exchange import contentapi

app_name = "exchange"

RESOURCES = r"(?P<resource>posts|pages|tags|authors)"

urlpatterns = [
    path("settings/", contentapi.endpoint, {"resource": "settings"}, name="settings"),
    re_path(rf"^{RESOURCES}/$", contentapi.endpoint, name="browse"),
    re_path(rf"^{RESOURCES}/slug/(?P<slug>[-\w]+)/$", contentapi.endpoint, name="read_slug"),
    re_path(rf"^{RESOURCES}/(?P<ident>[0-9a-fA-F]{{1,24}})/$", contentapi.endpoint, name="read"),
]
