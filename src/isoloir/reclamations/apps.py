from django.apps import AppConfig


class ReclamationsConfig(AppConfig):
    name = "isoloir.reclamations"
    verbose_name = "Réclamations sur les listes électorales"

    def ready(self) -> None:
        # Registers the claimant's mails with the notify app's composers.
        from isoloir.reclamations import mails  # noqa: F401
