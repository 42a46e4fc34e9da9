from django.tasks import task

from isoloir.core import clock
from isoloir.notify import services


@task()
def envoyer_courriel(courriel_id: int) -> str:
    try:
        return services.livrer(courriel_id).etat
    except services.ErreurTransitoire:
        courriel = services.Courriel.objects.get(pk=courriel_id)
        quand = clock.now() + services.delai_avant_essai(courriel.tentatives)
        envoyer_courriel.using(run_after=quand).enqueue(courriel_id)
        return courriel.etat
