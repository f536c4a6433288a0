from django.urls import path

from masthead.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
