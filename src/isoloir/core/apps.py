from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "isoloir.core"
    label = "core"
    verbose_name = "Socle"
