"""``isoloir archive CAMPAGNE -o FICHIER``: the public archive of an election."""

import hashlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.counting.archive import ArchiveImpossible, construire_archive
from isoloir.counting.models import BureauDeVote
from isoloir.elections.models import Campagne


class Command(BaseCommand):
    help = (
        "Écrit l'archive publique d'une campagne (ou d'un de ses bureaux de vote) une fois "
        "ses résultats calculés : tout ce qu'il faut pour la vérifier avec « isoloir verify »."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campagne", help="l'identifiant (slug) de la campagne")
        parser.add_argument("-o", "--sortie", required=True, help="le fichier ZIP à écrire")
        parser.add_argument("--bureau", help="le nom d'un bureau de vote : lui seul")

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            raise CommandError(f"Aucune campagne « {options['campagne']} ».")
        objet: Campagne | BureauDeVote = campagne
        if options["bureau"]:
            bureau = campagne.bureaux.filter(nom=options["bureau"]).first()
            if bureau is None:
                raise CommandError(f"Aucun bureau « {options['bureau']} » dans cette campagne.")
            objet = bureau
        try:
            chemin = construire_archive(objet, Path(options["sortie"]))
        except ArchiveImpossible as erreur:
            raise CommandError(erreur.message) from None
        with chemin.open("rb") as flux:
            empreinte = hashlib.file_digest(flux, "sha256").hexdigest()
        self.stdout.write(
            f"Archive écrite : {chemin} ({chemin.stat().st_size} octets, SHA-256 {empreinte}). "
            f"Vérifiez-la avec : isoloir verify {chemin}"
        )
