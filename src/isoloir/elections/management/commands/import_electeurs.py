"""``isoloir import_electeurs --campagne SLUG FICHIER.csv [--simulation] [--reprendre]
[--retirer-inscrits-par-reclamation]``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.models import Campagne


class Command(BaseCommand):
    help = (
        "Importe la liste électorale d'une campagne depuis un fichier CSV "
        "(voir docs/import-liste-electorale.md) : la liste devient celle du fichier. Rien "
        "n'est enregistré si une ligne est fausse. Le même fichier donné à nouveau après "
        "un arrêt reprend l'import où il s'était arrêté."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", type=Path, help="Fichier CSV de la liste électorale.")
        parser.add_argument("--campagne", required=True, help="Identifiant (slug) de la campagne.")
        parser.add_argument(
            "--simulation",
            action="store_true",
            help="Vérifier le fichier et afficher les différences sans rien enregistrer.",
        )
        parser.add_argument(
            "--reprendre",
            action="store_true",
            help="Reprendre sans attendre l'import de ce fichier resté en cours : le "
            "processus qui l'appliquait est arrêté.",
        )
        parser.add_argument(
            "--retirer-inscrits-par-reclamation",
            action="store_true",
            help="Retirer aussi les inscriptions qu'une réclamation acceptée a ajoutées et que "
            "le fichier ne liste pas (par défaut, elles sont conservées ; la simulation les "
            "nomme).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            raise CommandError(f"Aucune campagne n'a l'identifiant « {options['campagne']} ».")
        fichier: Path = options["fichier"]
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        rapport = importer_liste_electorale(
            campagne=campagne,
            fichier=fichier,
            simulation=options["simulation"],
            reprendre=options["reprendre"],
            conserver_reclamations=not options["retirer_inscrits_par_reclamation"],
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
