from django.apps import AppConfig


class PortailConfig(AppConfig):
    name = "isoloir.portail"
    label = "portail"
    verbose_name = "Portail des électeurs"
