"""What filing (depot.py) and deciding (decision.py) share: the refusals, the claim period,
and the mails to the claimant."""

import logging
from typing import Any

from django.db import transaction

from isoloir.core import horloge
from isoloir.core.dates import date_heure_fr
from isoloir.elections.calendrier import calendrier, reclamations_ouvertes
from isoloir.elections.models import Campagne
from isoloir.notify import services as courriels
from isoloir.notify.composition import construire
from isoloir.reclamations.mails import CONTENUS
from isoloir.reclamations.models import Reclamation

log = logging.getLogger(__name__)


class ReclamationRefusee(Exception):
    """What the person asked cannot be done; ``message`` says why, in French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TropDeReclamations(ReclamationRefusee):
    def __init__(self) -> None:
        super().__init__(
            "Vous avez déposé de nombreuses réclamations en peu de temps. Réessayez plus "
            "tard, ou contactez l'assistance."
        )


def date_lisible(instant: Any) -> str:
    return date_heure_fr(instant, jour_de_semaine=True)


def message_periode(campagne: Campagne) -> str:
    """Why a claim cannot be filed now, with the campaign's claim period."""
    periode = calendrier(campagne).reclamations
    if periode is None:
        return (
            f"Les listes électorales de la campagne « {campagne.nom} » ne sont pas encore "
            "publiées : les réclamations ne sont pas ouvertes."
        )
    if horloge.maintenant() < periode.debut:
        return (
            f"Les réclamations sur les listes électorales de la campagne « {campagne.nom} » "
            f"seront ouvertes du {date_lisible(periode.debut)} au {date_lisible(periode.fin)}."
        )
    return (
        f"Les réclamations sur les listes électorales de la campagne « {campagne.nom} » "
        f"étaient ouvertes du {date_lisible(periode.debut)} au {date_lisible(periode.fin)} : "
        "ce délai est expiré."
    )


def campagnes_ouvertes() -> list[Campagne]:
    """The campaigns whose claim period runs now (the anonymous form's choices)."""
    return [
        c
        for c in Campagne.objects.filter(publication_des_listes__isnull=False).order_by("nom")
        if reclamations_ouvertes(c)
    ]


def prevenir(reclamation: Reclamation, *, type_courriel: str) -> None:
    """Mail the claimant. A voter's mail is queued like every other; a person with no
    account yet has no queue entry to hang it on (a queued mail belongs to an account), so
    theirs is sent from the request, once the transaction is committed."""
    if reclamation.electeur is not None:
        compte = reclamation.electeur.compte
        courriels.programmer(
            type_courriel=type_courriel,
            compte_id=compte.pk,
            destinataire=compte.email,
            contexte={"reclamation_id": reclamation.pk},
        )
        return
    reclamation_id = reclamation.pk
    transaction.on_commit(lambda: _envoyer_sans_compte(reclamation_id, type_courriel))


def _envoyer_sans_compte(reclamation_id: int, type_courriel: str) -> None:
    reclamation = Reclamation.objects.select_related("campagne", "scrutin").get(pk=reclamation_id)
    message = construire(CONTENUS[type_courriel](reclamation), destinataire=reclamation.email)
    try:
        courriels.envoyer_sans_file(message)
    except courriels.EnvoiEchoue:
        # The claim is filed all the same and its number is on the confirmation page.
        log.warning("courriel %s de la réclamation %s non envoyé", type_courriel, reclamation_id)
