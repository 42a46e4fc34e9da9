"""Background steps of a roll import (import_liste/verification.py, application.py): a
national file takes minutes to check and to apply, longer than a web request may last."""

from django.db import IntegrityError, transaction
from django.tasks import task

from isoloir.elections.import_liste import application, verification
from isoloir.elections.import_liste.etats import ImportRefuse, ListeScellee


@task()
def verifier_import_liste(import_id: int) -> str:
    try:
        rapport = verification.verifier(import_id)
    except ImportRefuse:
        return "refusé"
    if rapport is None:
        return "ignoré"
    return "refusé" if rapport.refuse else "vérifié"


@task()
def appliquer_import_liste(import_id: int) -> str:
    try:
        rapport = application.appliquer(import_id)
    except (ListeScellee, IntegrityError):
        return "interrompu"  # the import's row holds the message for the page
    return "ignoré" if rapport is None else "appliqué"


def programmer_verification(import_id: int) -> None:
    """Queued once the caller's transaction commits, so the worker finds the import."""
    transaction.on_commit(lambda: verifier_import_liste.enqueue(import_id))


def programmer_application(import_id: int) -> None:
    transaction.on_commit(lambda: appliquer_import_liste.enqueue(import_id))
