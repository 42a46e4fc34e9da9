from django.tasks import task

from isoloir.core import clock
from isoloir.notify import services
from isoloir.notify.models import EtatCourriel


@task()
def envoyer_courriel(courriel_id: int) -> str:
    courriel = services.livrer(courriel_id)
    if courriel.etat == EtatCourriel.A_REESSAYER:
        quand = clock.now() + services.delai_avant_essai(courriel.tentatives)
        envoyer_courriel.using(run_after=quand).enqueue(courriel_id)
    return courriel.etat
