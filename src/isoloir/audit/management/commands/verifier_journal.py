from typing import Any

from django.core.management.base import BaseCommand, CommandError

from isoloir.audit.models import Evenement
from isoloir.audit.services import verifier_chaine


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d'empreintes du journal de sécurité : toute ligne modifiée, "
        "supprimée ou insérée après coup est signalée."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rompue = verifier_chaine()
        if rompue is not None:
            raise CommandError(
                f"Chaîne rompue à l'événement n° {rompue} : le journal a été altéré à partir "
                "de cette ligne."
            )
        self.stdout.write(f"Journal intact : {Evenement.objects.count()} événement(s) vérifié(s).")
