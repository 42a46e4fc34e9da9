from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class GestionConfig(AppConfig):
    default = True

    name = "isoloir.gestion"
    verbose_name = "Gestion des campagnes"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from isoloir.gestion.groupes import creer_les_groupes

        post_migrate.connect(creer_les_groupes, dispatch_uid="isoloir-groupes-de-gestion")


class AdministrationConfig(admin_apps.AdminConfig):
    """Django's admin, served by our site: administrators only, after the second factor."""

    default = False
    default_site = "isoloir.gestion.site.SiteAdministration"
