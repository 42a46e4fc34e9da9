from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "isoloir.assistance"
    verbose_name = "Assistance aux électeurs"
