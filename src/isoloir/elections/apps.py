from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "isoloir.elections"
    label = "elections"
    verbose_name = "Élections"
