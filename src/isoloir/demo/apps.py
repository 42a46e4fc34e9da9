from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "isoloir.demo"
    label = "demo"
    verbose_name = "Démonstration et processus"
