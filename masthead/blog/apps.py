from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "masthead.blog"
    label = "blog"
