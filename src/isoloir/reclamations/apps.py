from django.apps import AppConfig


class ReclamationsConfig(AppConfig):
    name = "isoloir.reclamations"
    verbose_name = "Réclamations sur les listes électorales"

    def ready(self) -> None:
        # Registers the claimant's mails with the notify app's composers, and tells the roll
        # import which inscriptions an accepted claim added (elections/inscriptions_decidees.py).
        from isoloir.elections import inscriptions_decidees
        from isoloir.reclamations import mails  # noqa: F401
        from isoloir.reclamations.selectors import decisions_qui_ont_inscrit

        inscriptions_decidees.enregistrer(decisions_qui_ont_inscrit)
