"""The delivery task of a mail, and the helper that enqueues it."""

import logging

from django.tasks import task
from django.utils import timezone

from isoloir.notify import livraison
from isoloir.notify.models import Courriel, EtatCourriel
from isoloir.notify.signals import courriel_traite

log = logging.getLogger(__name__)


@task()
def envoyer_courriel(courriel_id: int) -> str:
    courriel = livraison.livrer(courriel_id)
    if courriel.etat == EtatCourriel.A_REESSAYER:
        # Due on the queue's own clock, the machine's: the product's (horloge.maintenant) may run
        # ahead in a demo or a test, and the retry would then wait that much longer.
        quand = timezone.now() + livraison.delai_avant_essai(courriel.tentatives)
        envoyer_courriel.using(run_after=quand).enqueue(courriel_id)
    else:
        # Its final state is committed: a campaign mailing may now be over (isoloir.envois).
        courriel_traite.send(sender=Courriel, courriel=courriel)
    return courriel.etat


def mettre_en_file(courriel_id: int) -> None:
    try:
        envoyer_courriel.enqueue(courriel_id)
    except Exception:
        # The queue is down (Redis unreachable): the mail is recorded, and
        # ``isoloir relancer_courriels`` hands it to the queue once it is back.
        log.exception("courriel %s non mis en file", courriel_id)
