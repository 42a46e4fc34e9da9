"""Changing one voter's delivery state from the back-office, under the import's rules."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.votecode.models import CodeDeVote, EtatRemise, RemiseDeNotice
from isoloir.votecode.remises.lecture import controler_date


class RemiseInvalide(Exception):
    """A one-by-one change the rules refuse; ``champ`` names the form's field."""

    def __init__(self, champ: str, message: str) -> None:
        super().__init__(message)
        self.champ = champ
        self.message = message


def modifier_remise(
    electeur: Electeur,
    *,
    etat: str,
    jour: date | None,
    compte_id: int | None,
    ip: str = "",
) -> bool:
    """Set one voter's delivery state from the back-office; False when nothing changed."""
    if etat not in EtatRemise.values:
        raise RemiseInvalide("etat", "Choisissez un état.")
    if not CodeDeVote.objects.filter(electeur=electeur).exists():
        raise RemiseInvalide("etat", "Aucune notice n'a encore été générée pour cet électeur.")
    if etat == EtatRemise.EN_ATTENTE:
        jour = None
    elif message := controler_date(etat, jour, timezone.localdate(horloge.maintenant())):
        raise RemiseInvalide("date", message)
    with transaction.atomic():
        remise, _ = RemiseDeNotice.objects.select_for_update().get_or_create(
            electeur=electeur,
            defaults={"etablissement": electeur.etablissement, "modifiee_le": horloge.maintenant()},
        )
        avant = remise.etat
        if (remise.etat, remise.date) == (etat, jour):
            return False
        remise.etat, remise.date = etat, jour
        remise.etablissement = electeur.etablissement
        remise.modifiee_le = horloge.maintenant()
        remise.save()
        journaliser(
            "notices.remise_modifiee",
            compte_id=compte_id,
            ip=ip,
            electeur=electeur.pk,
            avant=avant,
            apres=etat,
        )
    return True
