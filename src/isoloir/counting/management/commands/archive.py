"""``isoloir archive CAMPAGNE [--bureau BUREAU] -o FICHIER``: the public archive of an
election, or of one of its bureaux de vote."""

import argparse
import hashlib
import textwrap
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from isoloir.counting.archive import ArchiveImpossible, construire_archive
from isoloir.counting.models import BureauDeVote
from isoloir.counting.publication import bureau_designe, bureaux_enregistres
from isoloir.elections.models import Campagne

LARGEUR = 79


class _Aide(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's order of options, and the list of bureaux kept one per line."""


def _liste_des_bureaux() -> str:
    """The bureaux by name, read from the database when ``--help`` is asked for."""
    bureaux = bureaux_enregistres()
    if bureaux is None:
        return textwrap.fill(
            "La liste des bureaux de vote n'est pas disponible : la base de données ne "
            "répond pas ou n'est pas encore créée (isoloir migrate).",
            LARGEUR,
        )
    if not bureaux:
        return "Aucun bureau de vote n'est enregistré."
    lignes = ["Bureaux de vote (pour --bureau, par leur nom ou leur numéro) :"]
    for b in bureaux:
        # The name on a line of its own, never cut: the help is searched by it.
        lignes.append(f"  n° {b.numero} « {b.nom} »")
        detail = f"campagne {b.campagne}"
        if b.scrutins:
            detail += f" ; scrutin{'s' if len(b.scrutins) > 1 else ''} {', '.join(b.scrutins)}"
        lignes.append(
            textwrap.fill(detail, LARGEUR, initial_indent="    ", subsequent_indent="    ")
        )
    return "\n".join(lignes)


class Command(BaseCommand):
    help = (
        "Écrit l'archive publique d'une campagne, une fois les résultats de tous ses "
        "scrutins calculés, ou celle d'un de ses bureaux de vote (--bureau), dès les "
        "résultats de ses scrutins calculés : tout ce qu'il faut pour la vérifier avec "
        "«\u00a0isoloir verify\u00a0»."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", _Aide)
        kwargs.setdefault("epilog", _liste_des_bureaux())
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Raw text keeps the epilog's lines: the description is wrapped here instead.
        parser.description = textwrap.fill(self.help, LARGEUR)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campagne", help="l'identifiant (slug) de la campagne")
        parser.add_argument("-o", "--sortie", required=True, help="le fichier ZIP à écrire")
        parser.add_argument(
            "--bureau",
            help="un bureau de vote, par son nom ou son numéro (liste ci-dessous) : "
            "l'archive des seuls scrutins qu'il dépouille",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            raise CommandError(f"Aucune campagne « {options['campagne']} ».")
        objet: Campagne | BureauDeVote = campagne
        if options["bureau"]:
            bureau = bureau_designe(campagne, options["bureau"])
            if bureau is None:
                raise CommandError(
                    f"Aucun bureau « {options['bureau']} » dans cette campagne. "
                    + _les_bureaux(campagne)
                )
            objet = bureau
        try:
            chemin = construire_archive(objet, Path(options["sortie"]))
        except ArchiveImpossible as erreur:
            message = erreur.message
            if objet is campagne and campagne.bureaux.exists():
                message += (
                    " L'archive d'un bureau de vote seul se publie dès ses résultats "
                    "calculés : " + _les_bureaux(campagne)
                )
            raise CommandError(message) from None
        with chemin.open("rb") as flux:
            empreinte = hashlib.file_digest(flux, "sha256").hexdigest()
        self.stdout.write(
            f"Archive écrite : {chemin} ({chemin.stat().st_size} octets, SHA-256 {empreinte}). "
            f"Vérifiez-la avec : isoloir verify {chemin}"
        )


def _les_bureaux(campagne: Campagne) -> str:
    noms = [f"« {b.nom} » (n° {b.pk})" for b in campagne.bureaux.order_by("nom", "pk")]
    if not noms:
        return "Cette campagne n'a aucun bureau de vote."
    return "Bureaux de cette campagne (--bureau NOM ou NUMÉRO) : " + ", ".join(noms) + "."
