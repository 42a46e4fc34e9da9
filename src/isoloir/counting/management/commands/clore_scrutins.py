"""``isoloir clore_scrutins [--boucle SECONDES]``: close every scrutin whose vote has
ended, its urne and émargement frozen and fingerprinted (décret art. 14-I, A17).
``isoloir serve`` runs it every minute, so that the closing happens at the end of the
window whether or not the bureau is there."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from isoloir.counting.cloture import clore_les_scrutins_termines

journal = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Clôt les scrutins dont la période de vote est terminée."

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
                closes = clore_les_scrutins_termines()
            except Exception:
                if not options["boucle"]:
                    raise
                # A base briefly out of reach must not stop the sweep, nor the portal.
                journal.exception("clôture des scrutins interrompue, nouvel essai")
            else:
                for cloture in closes:
                    self.stdout.write(
                        f"Scrutin {cloture.scrutin.code} clos : {cloture.bulletins} bulletin(s), "
                        f"{cloture.emargements} émargement(s), urne {cloture.empreinte_urne}"
                    )
            if not options["boucle"]:
                return
            time.sleep(options["boucle"])
