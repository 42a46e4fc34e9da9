"""``isoloir intervention_technique BUREAU --auteur NOM --motif TEXTE``: record a technical
intervention on the voting system (A12). The bureau sees it on its dashboard and in its
minutes; the chained journal keeps it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.core.dates import date_heure_fr
from isoloir.counting.models import BureauDeVote
from isoloir.counting.services import InterventionRefusee, consigner_intervention


class Command(BaseCommand):
    help = "Consigne une intervention technique, portée à la connaissance du bureau de vote."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bureau", type=int, help="numéro du bureau de vote")
        parser.add_argument("--auteur", required=True, help="mainteneur désigné qui intervient")
        parser.add_argument("--motif", required=True, help="ce qui est fait, et pourquoi")

    def handle(self, *args: Any, bureau: int, auteur: str, motif: str, **options: Any) -> None:
        objet = BureauDeVote.objects.filter(pk=bureau).first()
        if objet is None:
            raise CommandError(f"Aucun bureau de vote n° {bureau}.")
        try:
            intervention = consigner_intervention(objet, auteur=auteur, motif=motif)
        except InterventionRefusee as refus:
            raise CommandError(refus.message) from None
        self.stdout.write(
            f"Intervention consignée pour « {objet.nom} » le {date_heure_fr(intervention.le)} "
            "(heure de Paris) ; le bureau la voit sur son tableau de bord et dans son "
            "procès-verbal."
        )
