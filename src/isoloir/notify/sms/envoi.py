"""Sending one SMS within the web request, with a couple of quick retries.

The number may not wait in a task queue (it is never stored), so the voter's request
sends it and tells at once whether it went.
"""

import logging
import re
import time
from collections.abc import Callable

from django.conf import settings

from isoloir.notify.masquage import masquer_mobile
from isoloir.notify.sms.base import (
    MESSAGE_TRANSITOIRE,
    ErreurSmsDefinitive,
    ErreurSmsTransitoire,
    ExpediteurSms,
    ResultatSms,
)
from isoloir.notify.sms.configuration import expediteur_depuis_url

log = logging.getLogger("isoloir.notify.sms")

# Pauses before the second and third attempts: short, since the voter is waiting.
ATTENTES = (0.2, 0.5)

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def envoyer_sms(
    *,
    numero: str,
    texte: str,
    reference: str,
    attendre: Callable[[float], None] = time.sleep,
) -> ResultatSms:
    """Send ``texte`` to ``numero`` (E.164, as :func:`valider_mobile` returns it)
    through the gateway of ``settings.ISOLOIR_SMS_URL`` (the console when empty).

    Transient failures are tried again, 3 attempts in all; then
    :class:`ErreurSmsTransitoire` is raised. :class:`ErreurSmsDefinitive` is raised
    at once. Both carry a French ``message`` for the voter. Logs show the provider,
    ``reference``, the outcome and the masked number; never the number nor the text,
    which holds a secret link.
    """
    if not _E164.fullmatch(numero):
        raise ValueError("envoyer_sms attend un numéro au format E.164 (valider_mobile).")
    expediteur = expediteur_depuis_url(settings.ISOLOIR_SMS_URL or "console://")
    masque = masquer_mobile(numero)
    for tentative, attente in enumerate(ATTENTES, start=1):
        try:
            return _tenter(
                expediteur,
                numero=numero,
                texte=texte,
                reference=reference,
                masque=masque,
                tentative=tentative,
            )
        except ErreurSmsTransitoire:
            attendre(attente)
    try:
        return _tenter(
            expediteur,
            numero=numero,
            texte=texte,
            reference=reference,
            masque=masque,
            tentative=len(ATTENTES) + 1,
        )
    except ErreurSmsTransitoire as erreur:
        raise ErreurSmsTransitoire(MESSAGE_TRANSITOIRE, detail=erreur.detail) from erreur


def _tenter(
    expediteur: ExpediteurSms,
    *,
    numero: str,
    texte: str,
    reference: str,
    masque: str,
    tentative: int,
) -> ResultatSms:
    try:
        resultat = expediteur.envoyer(numero=numero, texte=texte, reference=reference)
    except ErreurSmsTransitoire as erreur:
        log.warning(
            "SMS %s non envoyé à %s, tentative %s : %s",
            reference,
            masque,
            tentative,
            erreur.detail,
        )
        raise
    except ErreurSmsDefinitive as erreur:
        log.warning(
            "SMS %s refusé pour %s, tentative %s : %s",
            reference,
            masque,
            tentative,
            erreur.detail,
        )
        raise
    log.info(
        "SMS %s envoyé par %s à %s, tentative %s, identifiant %s",
        reference,
        expediteur.nom,
        masque,
        tentative,
        resultat.identifiant_fournisseur,
    )
    return resultat
