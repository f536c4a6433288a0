from django.urls import URLPattern, URLResolver

app_name = "blog"
urlpatterns: list[URLPattern | URLResolver] = []
