"""``isoloir recuperer_votes [--boucle SECONDES]``: finish or undo the votes a crash
interrupted (see isoloir.booth.depot). ``isoloir serve`` runs it in a loop."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from isoloir.booth.depot import recuperer

journal = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Termine ou annule les votes interrompus par une panne."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--boucle",
            type=float,
            default=0,
            metavar="SECONDES",
            help="recommencer toutes les SECONDES secondes, sans fin",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                bilan = recuperer()
            except Exception:
                if not options["boucle"]:
                    raise
                # A base briefly out of reach must not stop the sweep, nor (through
                # ``isoloir serve``) the whole portal: the next round tries again.
                journal.exception("récupération des votes interrompue, nouvel essai")
            else:
                self.stdout.write(
                    f"Votes terminés : {bilan.terminees}, émargés : {bilan.emargees}, "
                    f"annulés : {bilan.abandonnees}, "
                    f"bulletins orphelins retirés : {bilan.orphelins}"
                )
            if not options["boucle"]:
                return
            time.sleep(options["boucle"])
