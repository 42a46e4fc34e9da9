from django.tasks import task

from isoloir.core import clock
from isoloir.notify import envois, services
from isoloir.notify.models import EtatCourriel


@task()
def envoyer_courriel(courriel_id: int) -> str:
    courriel = services.livrer(courriel_id)
    if courriel.etat == EtatCourriel.A_REESSAYER:
        quand = clock.now() + services.delai_avant_essai(courriel.tentatives)
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
