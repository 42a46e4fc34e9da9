from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    """The administration's own screens in the espace de gestion (docs/architecture.md)."""

    name = "isoloir.organisation"
    verbose_name = "Organisation des élections"
