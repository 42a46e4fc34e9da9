"""Recording mails to send (the worker delivers them: notify/livraison.py), and sending
one now, from the request, for a recipient that may not wait in the queue."""

import logging
import time
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction

from isoloir.core import horloge
from isoloir.notify.livraison import est_transitoire, resume
from isoloir.notify.models import Courriel, EtatCourriel
from isoloir.notify.tasks import envoyer_courriel, mettre_en_file

log = logging.getLogger(__name__)


def programmer(
    *,
    type_courriel: str,
    compte_id: int,
    destinataire: str,
    contexte: dict[str, object] | None = None,
) -> Courriel:
    """Record a mail to send and hand it to the task queue once the caller commits."""
    courriel = Courriel.objects.create(
        type=type_courriel,
        compte_id=compte_id,
        destinataire=destinataire,
        contexte=contexte or {},
        cree_le=horloge.maintenant(),
    )
    transaction.on_commit(lambda: mettre_en_file(courriel.pk))
    return courriel


def relancer_en_attente(*, depuis: timedelta) -> int:
    """Hand back to the queue the mails still waiting ``depuis`` after their creation."""
    limite = horloge.maintenant() - depuis
    relances = 0
    for courriel_id in (
        Courriel.objects.filter(etat=EtatCourriel.EN_ATTENTE, tentatives=0, cree_le__lt=limite)
        .values_list("pk", flat=True)
        .iterator()
    ):
        envoyer_courriel.enqueue(courriel_id)
        relances += 1
    return relances


class EnvoiEchoue(Exception):
    def __init__(self, *, transitoire: bool) -> None:
        super().__init__("transitoire" if transitoire else "définitif")
        self.transitoire = transitoire


def envoyer_sans_file(message: EmailMultiAlternatives, *, essais: int = 3) -> None:
    """Send now, from the request, retrying transient errors a few times.

    For a recipient that may not wait in the queue, where it would be stored (the
    personal address of a réassort). Raises :class:`EnvoiEchoue`.
    """
    for essai in range(1, essais + 1):
        try:
            mailers.default.send_messages([message])
            return
        except Exception as erreur:
            if not est_transitoire(erreur):
                log.warning("courriel direct refusé : %s", resume(erreur))
                raise EnvoiEchoue(transitoire=False) from erreur
            log.warning("courriel direct, essai %s : %s", essai, resume(erreur))
            if essai < essais:
                time.sleep(0.5 * essai)
    raise EnvoiEchoue(transitoire=True)
