"""Comment URLs. Mounted before the blog's catch-all ``/<slug>/``."""

from django.urls import path

from masthead.comments import views

app_name = "comments"
urlpatterns = [
    path("comments/notifications/", views.notifications, name="notifications"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="delete"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="hide"),
    path("comments/<int:pk>/report/", views.comment_report, name="report"),
    path("<slug:slug>/comments/", views.comment_page, name="page"),
    path("<slug:slug>/comments/list/", views.comment_list, name="list"),
    path("<slug:slug>/comments/close/", views.comments_close, name="close"),
]
