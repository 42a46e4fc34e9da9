"""What the workers run for votecode, and the helpers that enqueue it: a back-office run
of the notices (launched by lancement.py, its body in generation.py)."""

import logging

from django.tasks import task

from isoloir.votecode import generation

log = logging.getLogger(__name__)


@task()
def generer_notices(generation_id: int) -> str:
    """Generate a campaign's missing initial codes and notices (see generation.py)."""
    return generation.executer_generation(generation_id).etat


def mettre_en_file_generation(generation_id: int) -> None:
    try:
        generer_notices.enqueue(generation_id)
    except Exception:
        # The queue is down: the run waits, and the next launch takes it over once its
        # lease is stale.
        log.exception("génération de notices %s non mise en file", generation_id)
