from django.apps import AppConfig


class FranceconnectConfig(AppConfig):
    name = "isoloir.franceconnect"
    label = "franceconnect"
    verbose_name = "FranceConnect"
