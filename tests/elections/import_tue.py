"""A roll import killed halfway, as by a crash or an out-of-memory kill.

``python -m tests.elections.import_tue POINT CAMPAGNE FICHIER`` applies FICHIER to the
campaign in a fresh process whose database is the test's (from the environment), by small
batches, and SIGKILLs itself at POINT: no ``finally``, no rollback handler, no atexit runs.

- ``pendant_un_lot``: the third batch of rows has written its changes, not committed them;
- ``pendant_les_retraits``: the first batch of removals has been committed.
"""

import os
import signal
import sys
from typing import Any

TAILLE_LOT, LOT_DE_RETRAITS = 40, 30
POINTS = ("pendant_un_lot", "pendant_les_retraits")


def _tuer() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    point, slug, fichier = sys.argv[1:4]
    import django

    django.setup()
    from isoloir.elections.import_liste import application, verification
    from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
    from isoloir.elections.models import Campagne

    verification.TAILLE_LOT = TAILLE_LOT  # type: ignore[misc]
    application.TAILLE_LOT = TAILLE_LOT  # type: ignore[misc]
    application.LOT_DE_RETRAITS = LOT_DE_RETRAITS  # type: ignore[misc]
    appels = {"lots": 0, "retraits": 0}
    appliquer, retirer = application._appliquer, application._retirer_un_lot

    def appliquer_puis_mourir(*args: Any, **kwargs: Any) -> None:
        appliquer(*args, **kwargs)
        appels["lots"] += 1
        if point == "pendant_un_lot" and appels["lots"] == 3:
            _tuer()

    def retirer_puis_mourir(*args: Any, **kwargs: Any) -> bool:
        suite = retirer(*args, **kwargs)
        appels["retraits"] += 1
        if point == "pendant_les_retraits" and appels["retraits"] == 1:
            _tuer()
        return suite

    application._appliquer = appliquer_puis_mourir  # type: ignore[assignment]
    application._retirer_un_lot = retirer_puis_mourir  # type: ignore[assignment]
    importer_liste_electorale(campagne=Campagne.objects.get(slug=slug), fichier=fichier)
    raise SystemExit(f"l'import aurait dû être interrompu ({appels})")


if __name__ == "__main__":
    main()
