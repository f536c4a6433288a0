from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "masthead.exchange"
    label = "exchange"
    verbose_name = "Import, export and the Content API"
