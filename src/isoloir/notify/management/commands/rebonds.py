import mailbox
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from isoloir.notify import rebonds


class Command(BaseCommand):
    help = (
        "Lit une boîte aux lettres au format mbox où arrivent les avis de non-remise "
        "(RFC 3464) et les enregistre. Sans effet sur un avis déjà lu : la boîte peut être "
        "relue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", type=Path, help="Le fichier mbox.")

    def handle(self, *args: Any, fichier: Path, **options: Any) -> None:
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        bilan: Counter[str] = Counter()
        boite = mailbox.mbox(fichier, create=False)
        try:
            for message in boite:
                destinataires = rebonds.destinataires_d_un_message_stocke(message)
                bilan[rebonds.traiter(message.as_bytes(), destinataires=destinataires)] += 1
        finally:
            boite.close()
        self.stdout.write(
            f"{sum(bilan.values())} message(s) lu(s) : "
            f"{bilan[rebonds.Resultat.REJETE]} rejet(s) définitif(s), "
            f"{bilan[rebonds.Resultat.TRANSITOIRE]} avertissement(s) temporaire(s), "
            f"{bilan[rebonds.Resultat.IGNORE]} ignoré(s)."
        )
