from django.tasks import task
from django.utils import timezone

from isoloir.notify import envois, services
from isoloir.notify.models import EtatCourriel


@task()
def envoyer_courriel(courriel_id: int) -> str:
    courriel = services.livrer(courriel_id)
    if courriel.etat == EtatCourriel.A_REESSAYER:
        # Due on the queue's own clock, the machine's: the product's (clock.now) may run
        # ahead in a demo or a test, and the retry would then wait that much longer.
        quand = timezone.now() + services.delai_avant_essai(courriel.tentatives)
        envoyer_courriel.using(run_after=quand).enqueue(courriel_id)
    elif courriel.envoi_id is not None:
        envois.terminer_si_fini(courriel.envoi_id)
    return courriel.etat


@task()
def planifier_envoi(envoi_id: int) -> int:
    """Cut a campaign mailing into lots (notify/envois.py)."""
    return envois.planifier(envoi_id)


@task()
def programmer_lot(lot_id: int) -> int:
    """Create and enqueue the mails of one lot of a campaign mailing."""
    return envois.programmer_lot(lot_id)
