from typing import Any

from django.core.management.base import BaseCommand, CommandError

from isoloir.accounts.second_facteur import rechiffrer_les_secrets


def _accorde(n: int, mot: str) -> str:
    return f"{mot}s" if n > 1 else mot


class Command(BaseCommand):
    help = (
        "Rechiffre sous ISOLOIR_CLE_SECOND_FACTEUR les secrets TOTP du second facteur "
        "chiffrés sous une clé de ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES (ou restés en clair). "
        "Sans effet sur ceux qui le sont déjà : peut être relancée."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        bilan = rechiffrer_les_secrets()
        n = bilan.rechiffres
        self.stdout.write(
            f"{n} {_accorde(n, 'secret')} {_accorde(n, 'rechiffré')}, "
            f"{bilan.a_jour} déjà sous la clé courante."
        )
        if bilan.illisibles:
            n = bilan.illisibles
            raise CommandError(
                f"{n} {_accorde(n, 'secret')} {_accorde(n, 'illisible')} sous toutes les clés "
                "configurées, laissé(s) tel(s) quel(s) : remettre l'ancienne clé dans "
                "ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES puis relancer ; sinon, les membres "
                "concernés entrent avec un code de secours et un administrateur supprime "
                "leur application pour qu'ils en activent une nouvelle."
            )
