"""The end of a mailing, seen from the delivery of its mails (notify knows no mailing)."""

from typing import Any

from django.dispatch import receiver

from isoloir.envois.tasks import terminer_si_fini
from isoloir.notify.models import Courriel
from isoloir.notify.signals import courriel_traite


@receiver(courriel_traite, dispatch_uid="isoloir.envois.fin_de_l_envoi")
def fin_de_l_envoi(sender: type[Courriel], *, courriel: Courriel, **kwargs: Any) -> None:
    if courriel.envoi_id is not None:
        terminer_si_fini(courriel.envoi_id)
