from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.elections.models import Campagne
from isoloir.votecode.generation import executer_generation
from isoloir.votecode.lancement import lancer_generation
from isoloir.votecode.models import EtatGeneration
from isoloir.votecode.notices import GenerationRefusee, dossier_des_notices


class Command(BaseCommand):
    help = (
        "Génère les codes de vote initiaux des électeurs qui n'en ont pas et imprime leurs "
        "notices en PDF, par établissement, dans le dossier des données. Peut être relancée "
        "après une interruption : elle reprend où elle s'était arrêtée. Refusée pendant "
        "qu'une génération lancée depuis l'espace de gestion est en cours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campagne", required=True, help="Identifiant (slug) de la campagne.")
        parser.add_argument(
            "--hors-delai",
            action="store_true",
            help="Confirme la génération après la date limite de remise des notices (A04) ; "
            "la confirmation est inscrite au journal.",
        )

    def handle(self, *args: Any, campagne: str, hors_delai: bool, **options: Any) -> None:
        try:
            objet = Campagne.objects.get(slug=campagne)
        except Campagne.DoesNotExist:
            raise CommandError(f"Aucune campagne « {campagne} ».") from None
        try:
            generation = lancer_generation(
                campagne=objet,
                compte_id=None,
                confirmer_hors_delai=hors_delai,
                mettre_en_file=False,
            )
        except GenerationRefusee as refus:
            raise CommandError(str(refus)) from None

        def progression(rang: int, total: int, etablissement: str, codes: int) -> None:
            self.stdout.write(f"[{rang}/{total}] {etablissement} : {codes} notice(s)")

        generation = executer_generation(generation.pk, progression=progression)
        if generation.etat != EtatGeneration.TERMINEE:
            raise CommandError(
                "Un autre traitement a repris cette génération : suivez-la dans l'espace de "
                "gestion."
            )
        self.stdout.write(
            f"Génération terminée : {generation.notices_faites} électeur(s) sur "
            f"{generation.notices_total} ont leur code de vote, "
            f"{generation.etablissements_faits} établissement(s) sur "
            f"{generation.etablissements_total} ; notices dans {dossier_des_notices(objet)}."
        )
