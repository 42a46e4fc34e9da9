"""``isoloir import_electeurs --campagne SLUG FICHIER.csv [--simulation]``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.elections.models import Campagne
from isoloir.elections.roll_import import importer_liste_electorale


class Command(BaseCommand):
    help = (
        "Importe la liste électorale d'une campagne depuis un fichier CSV "
        "(voir docs/import-liste-electorale.md). Rien n'est enregistré si une ligne est "
        "fausse."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", type=Path, help="Fichier CSV de la liste électorale.")
        parser.add_argument("--campagne", required=True, help="Identifiant (slug) de la campagne.")
        parser.add_argument(
            "--simulation",
            action="store_true",
            help="Vérifier le fichier et compter les changements sans rien enregistrer.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            raise CommandError(f"Aucune campagne n'a l'identifiant « {options['campagne']} ».")
        fichier: Path = options["fichier"]
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        rapport = importer_liste_electorale(
            campagne=campagne, fichier=fichier, simulation=options["simulation"]
        )
        for ligne in rapport.resume():
            self.stdout.write(ligne)
        if rapport.refuse:
            erreurs = [str(erreur) for erreur in rapport.erreurs]
            if rapport.erreurs_non_listees:
                erreurs.append(f"… et {rapport.erreurs_non_listees} autre(s) erreur(s).")
            raise CommandError(
                f"Import refusé : {rapport.nombre_erreurs} erreur(s).\n" + "\n".join(erreurs)
            )
