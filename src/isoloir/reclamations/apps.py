from django.apps import AppConfig


class ReclamationsConfig(AppConfig):
    name = "isoloir.reclamations"
    verbose_name = "Réclamations sur les listes électorales"
