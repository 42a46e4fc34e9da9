"""``isoloir recuperer_votes [--boucle SECONDES]``: finish or undo the votes a crash
interrupted (see isoloir.booth.depot). ``isoloir serve`` runs it in a loop."""

from isoloir.booth.depot import recuperer
from isoloir.core.management.boucle import CommandeEnBoucle


class Command(CommandeEnBoucle):
    help = "Termine ou annule les votes interrompus par une panne."
    interruption = "récupération des votes interrompue, nouvel essai"

    def tour(self) -> None:
        bilan = recuperer()
        self.stdout.write(
            f"Votes terminés : {bilan.terminees}, émargés : {bilan.emargees}, "
            f"annulés : {bilan.abandonnees}, "
            f"bulletins orphelins retirés : {bilan.orphelins}"
        )
