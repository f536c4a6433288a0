from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "masthead.tools"
    label = "tools"
