"""``isoloir clore_scrutins [--boucle SECONDES]``: close every scrutin whose vote has
ended, its urne and émargement frozen and fingerprinted (décret art. 14-I, A17).
``isoloir serve`` runs it every minute, so that the closing happens at the end of the
window whether or not the bureau is there."""

from isoloir.core.management.boucle import CommandeEnBoucle
from isoloir.counting.cloture import clore_les_scrutins_termines


class Command(CommandeEnBoucle):
    help = "Clôt les scrutins dont la période de vote est terminée."
    interruption = "clôture des scrutins interrompue, nouvel essai"

    def tour(self) -> None:
        for cloture in clore_les_scrutins_termines():
            self.stdout.write(
                f"Scrutin {cloture.scrutin.code} clos : {cloture.bulletins} bulletin(s), "
                f"{cloture.emargements} émargement(s), urne {cloture.empreinte_urne}"
            )
