from django.apps import AppConfig


class LinksConfig(AppConfig):
    name = "isoloir.links"
    label = "links"
    verbose_name = "Liens à usage unique"
