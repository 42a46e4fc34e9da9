"""``isoloir cle_developpement CAMPAGNE``: a development key for every scrutin without one.

For demos and tests only, refused in production (docs/protocol.md § 8)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.booth.cles import CeremonieRefusee, ceremonie_de_developpement
from isoloir.elections.models import Campagne


class Command(BaseCommand):
    help = "Pose une clé de DÉVELOPPEMENT sur chaque scrutin de la campagne qui n'en a pas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campagne", help="identifiant (slug) de la campagne")

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            raise CommandError(f"Aucune campagne « {options['campagne']} ».")
        try:
            scrutins = ceremonie_de_developpement(campagne)
        except CeremonieRefusee as erreur:
            raise CommandError(str(erreur)) from erreur
        for scrutin in scrutins:
            self.stdout.write(f"Clé de développement posée : {scrutin.intitule}")
        if not scrutins:
            self.stdout.write("Chaque scrutin a déjà sa clé.")
