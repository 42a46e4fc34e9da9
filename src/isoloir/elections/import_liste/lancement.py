"""What the espace de gestion asks of a roll import: check a dropped file, apply a checked
one, resume a stopped one. Each hands the work to a background worker once committed
(elections/tasks.py). Kept apart from the steps the tasks run (verification.py,
application.py), so that the module a task runs never imports the tasks
(docs/architecture.md, « Tâches »)."""

import os
from typing import IO

from isoloir.core import bail
from isoloir.elections import tasks
from isoloir.elections.import_liste.application import demander_application
from isoloir.elections.import_liste.depot import deposer
from isoloir.elections.import_liste.etats import arrete
from isoloir.elections.models import Campagne, EtatImport, ImportListe


def deposer_et_verifier(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    nom_du_fichier: str = "",
    compte_id: int | None = None,
    ip: str = "",
) -> ImportListe:
    """Record the file (``depot.deposer``) and queue its check."""
    import_ = deposer(
        campagne=campagne,
        fichier=fichier,
        nom_du_fichier=nom_du_fichier,
        compte_id=compte_id,
        ip=ip,
    )
    tasks.programmer_verification(import_.pk)
    return import_


def appliquer_import(
    import_: ImportListe,
    *,
    compte_id: int | None = None,
    ip: str = "",
    conserver_reclamations: bool = True,
) -> None:
    """Move a checked import to its application (``application.demander_application``) and
    queue it."""
    demander_application(
        import_, compte_id=compte_id, ip=ip, conserver_reclamations=conserver_reclamations
    )
    tasks.programmer_application(import_.pk)


def reprendre_import(import_: ImportListe) -> bool:
    """Start a stopped import again: its worker died (the step resumes from its
    checkpoint), or the roll changed since the check (the file is checked again).
    ``False``: the import is not stopped, nothing to resume."""
    if import_.etat == EtatImport.PERIME:
        tasks.programmer_verification(import_.pk)
    elif import_.etat == EtatImport.INTERROMPU:
        bail.liberer(
            ImportListe,
            import_.pk,
            si_etat=EtatImport.INTERROMPU,
            etat=EtatImport.APPLICATION,
            message="",
        )
        tasks.programmer_application(import_.pk)
    elif arrete(import_):
        if import_.etat == EtatImport.APPLICATION:
            tasks.programmer_application(import_.pk)
        else:
            tasks.programmer_verification(import_.pk)
    else:
        return False
    return True
