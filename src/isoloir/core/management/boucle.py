"""The sweeps ``isoloir serve`` runs every minute (recovering interrupted votes, closing
the scrutins whose vote has ended): once, or ``--boucle SECONDES`` without end."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

log = logging.getLogger(__name__)


class CommandeEnBoucle(BaseCommand):
    # What the log says when a round fails (in French, like the rest of the log).
    interruption = "tour interrompu, nouvel essai"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--boucle",
            type=float,
            default=0,
            metavar="SECONDES",
            help="recommencer toutes les SECONDES secondes, sans fin",
        )

    def tour(self) -> None:
        """One round of the sweep; it writes what it did to ``self.stdout``."""
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                self.tour()
            except Exception:
                if not options["boucle"]:
                    raise
                # A base briefly out of reach must not stop the sweep, nor (through
                # ``isoloir serve``) the whole portal: the next round tries again.
                log.exception(self.interruption)
            if not options["boucle"]:
                return
            time.sleep(options["boucle"])
