from django.tasks import task

from isoloir.votecode import notices


@task()
def generer_notices(generation_id: int) -> str:
    """Generate a campaign's missing initial codes and notices (see notices.py)."""
    return notices.executer_generation(generation_id).etat
