from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.elections.models import Campagne
from isoloir.votecode.notices import generer_codes_initiaux


class Command(BaseCommand):
    help = (
        "Génère les codes de vote initiaux des électeurs qui n'en ont pas et imprime leurs "
        "notices en PDF, un fichier par établissement. Peut être relancée après une "
        "interruption : elle reprend où elle s'était arrêtée."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campagne", required=True, help="Identifiant (slug) de la campagne.")
        parser.add_argument(
            "--dossier",
            type=Path,
            default=None,
            help="Dossier des PDF (par défaut : notices/<campagne> dans le dossier des données).",
        )

    def handle(self, *args: Any, campagne: str, dossier: Path | None, **options: Any) -> None:
        try:
            objet = Campagne.objects.get(slug=campagne)
        except Campagne.DoesNotExist:
            raise CommandError(f"Aucune campagne « {campagne} ».") from None
        dossier = dossier or Path(settings.DATA_DIR) / "notices" / objet.slug

        def progression(rang: int, total: int, etablissement: str, codes: int) -> None:
            self.stdout.write(f"[{rang}/{total}] {etablissement} : {codes} notice(s)")

        rapport = generer_codes_initiaux(campagne=objet, dossier=dossier, progression=progression)
        self.stdout.write(
            f"{rapport.codes} code(s) de vote générés pour {rapport.etablissements} "
            f"établissement(s) ; notices dans {dossier}."
        )
