from django.urls import path

from masthead.newsletter import views

app_name = "newsletter"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("thanks/", views.thanks, name="thanks"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("account/", views.account, name="account"),
    path("o/<str:token>/", views.opened, name="opened"),
    path("c/<str:token>/", views.clicked, name="clicked"),
]
