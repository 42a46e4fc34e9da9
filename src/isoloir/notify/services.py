"""Queueing mails and delivering them with retries."""

import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction

from isoloir.core import clock
from isoloir.notify.composition import composer
from isoloir.notify.models import Courriel, EtatCourriel

journal = logging.getLogger(__name__)


def programmer(*, type_courriel: str, compte_id: int, destinataire: str) -> Courriel:
    """Record a mail to send and hand it to the task queue once the caller commits."""
    from isoloir.notify.tasks import envoyer_courriel

    courriel = Courriel.objects.create(
        type=type_courriel, compte_id=compte_id, destinataire=destinataire, cree_le=clock.now()
    )
    transaction.on_commit(lambda: envoyer_courriel.enqueue(courriel.pk))
    return courriel


class ErreurTransitoire(Exception):
    pass


def _est_transitoire(erreur: Exception) -> bool:
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in erreur.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(erreur, smtplib.SMTPResponseException):
        return 400 <= erreur.smtp_code < 500
    return isinstance(erreur, smtplib.SMTPException | socket.error | TimeoutError)


def delai_avant_essai(tentatives: int) -> timedelta:
    """30 s, 1 min, 2 min… capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(tentatives - 1, 0), 3600))


def livrer(courriel_id: int) -> Courriel:
    """Compose and send one mail. Returns it with its new state; raises
    :class:`ErreurTransitoire` when another attempt should be scheduled."""
    courriel = Courriel.objects.get(pk=courriel_id)
    if courriel.etat in (EtatCourriel.ENVOYE, EtatCourriel.EN_ECHEC):
        return courriel  # a task delivered twice by the queue sends once
    courriel.tentatives += 1
    try:
        message = composer(courriel)
        mailers.default.send_messages([message])
    except Exception as erreur:
        transitoire = _est_transitoire(erreur)
        derniere = courriel.tentatives >= settings.ISOLOIR_MAIL_MAX_ATTEMPTS
        courriel.etat = (
            EtatCourriel.A_REESSAYER if transitoire and not derniere else EtatCourriel.EN_ECHEC
        )
        # The class and SMTP reply only: the exception text may quote the message.
        courriel.derniere_erreur = _resume(erreur)
        courriel.save(update_fields=["etat", "tentatives", "derniere_erreur", "objet"])
        journal.warning(
            "courriel %s (%s) non envoyé, tentative %s : %s",
            courriel.pk,
            courriel.type,
            courriel.tentatives,
            courriel.derniere_erreur,
        )
        if courriel.etat == EtatCourriel.A_REESSAYER:
            raise ErreurTransitoire(courriel.derniere_erreur) from erreur
        return courriel
    courriel.etat = EtatCourriel.ENVOYE
    courriel.envoye_le = clock.now()
    courriel.derniere_erreur = ""
    courriel.save(update_fields=["etat", "tentatives", "derniere_erreur", "objet", "envoye_le"])
    return courriel


def _resume(erreur: Exception) -> str:
    if isinstance(erreur, smtplib.SMTPResponseException):
        return f"{type(erreur).__name__} {erreur.smtp_code}"
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        codes = ",".join(str(code) for code, _ in erreur.recipients.values())
        return f"SMTPRecipientsRefused {codes}"
    return type(erreur).__name__
