"""A vote killed between two of its steps, as by a crash or an out-of-memory kill.

``python -m tests.booth.panne POINT ELECTEUR SCRUTIN FICHIER`` runs one vote in a fresh
process whose databases are the test's (from the environment), and SIGKILLs itself at
POINT: no ``finally``, no rollback handler, no atexit runs, as in a real crash.
"""

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

POINTS = ("apres_reservation", "apres_depot", "apres_emargement", "apres_confirmation")
# The recovery itself killed once it has signed the émargement, before the urne's cleanup.
RECUPERATION = "recuperation_apres_reglement"


def _tuer(*args: Any, **kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _puis_tuer(fonction: Callable[..., Any]) -> Callable[..., Any]:
    def executer(*args: Any, **kwargs: Any) -> None:
        fonction(*args, **kwargs)
        _tuer()

    return executer


def main() -> None:
    point, electeur_id, scrutin_id, fichier = sys.argv[1:5]
    import django

    django.setup()
    from isoloir.accounts.models import Electeur
    from isoloir.ballotbox import services as urne
    from isoloir.booth import depot
    from isoloir.elections.models import Scrutin

    if point == RECUPERATION:
        depot._finir_le_reglement = _tuer  # type: ignore[assignment]
        from datetime import timedelta

        from isoloir.core import horloge

        with horloge.decalee_de(timedelta(minutes=2)):
            depot.recuperer()
        raise SystemExit("la récupération aurait dû être interrompue")
    if point == "apres_reservation":
        urne.deposer = _tuer  # type: ignore[assignment]
    elif point == "apres_depot":
        depot._emarger = _tuer  # type: ignore[assignment]
    elif point == "apres_emargement":
        depot._terminer = _tuer  # type: ignore[assignment]
    elif point == "apres_confirmation":
        urne.confirmer = _puis_tuer(urne.confirmer)  # type: ignore[assignment]
    else:
        raise SystemExit(f"point inconnu : {point}")
    with open(fichier) as f:
        texte = f.read()
    depot.voter(
        electeur=Electeur.objects.get(pk=electeur_id),
        scrutin=Scrutin.objects.get(pk=scrutin_id),
        texte=texte,
    )
    raise SystemExit("le vote aurait dû être interrompu")


if __name__ == "__main__":
    main()
