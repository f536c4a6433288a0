"""Members' own pages under /accounts/; allauth's pages are mounted after these."""

from django.urls import URLPattern, URLResolver, path

from masthead.members import views

app_name = "members"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.account_page, name="account"),
    path("login/", views.member_login, name="login"),
    path("login/code/confirm/", views.confirm_login_code, name="confirm_login_code"),
    path("profile/", views.profile_update, name="profile_update"),
    path("profile/avatar/remove/", views.avatar_remove, name="avatar_remove"),
    path("export/", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="account_delete"),
    # allauth's pages, wrapped: same paths, so allauth's URL names lead here.
    path("email/", views.email_manage, name="email_manage"),
    path("2fa/authenticate/", views.mfa_authenticate, name="mfa_authenticate"),
    path("2fa/reauthenticate/", views.mfa_reauthenticate, name="mfa_reauthenticate"),
    path("2fa/totp/activate/", views.totp_activate, name="totp_activate"),
]
