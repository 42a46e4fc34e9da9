"""Delivering one mail: compose it at sending time, send it, record what became of it.

Run by the worker (:func:`isoloir.notify.tasks.envoyer_courriel`), which schedules the
next attempt of a transient failure.
"""

import logging
import smtplib
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction

from isoloir.core import horloge
from isoloir.notify import debit
from isoloir.notify.composition import CourrielSansObjet, composer, contexte_ephemere
from isoloir.notify.models import Courriel, EtatCourriel

log = logging.getLogger(__name__)


def est_transitoire(erreur: Exception) -> bool:
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in erreur.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(erreur, smtplib.SMTPResponseException):
        return 400 <= erreur.smtp_code < 500
    return isinstance(erreur, smtplib.SMTPException | socket.error | TimeoutError)


def delai_avant_essai(tentatives: int) -> timedelta:
    """30 s, 1 min, 2 min… capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** max(tentatives - 1, 0), 3600))


ETATS_FINAUX = (
    EtatCourriel.ENVOYE,
    EtatCourriel.EN_ECHEC,
    EtatCourriel.SANS_OBJET,
    EtatCourriel.REJETE,
    EtatCourriel.ADRESSE_ECARTEE,
)


@transaction.atomic
def livrer(courriel_id: int) -> Courriel:
    """Compose and send one mail. Returns it with its new state, ``A_REESSAYER`` when
    another attempt should be scheduled.

    The row stays locked while the mail is composed and sent, so a task that the queue
    delivers twice at once sends one mail: the second waits, then finds it sent. The
    service-wide rate (:mod:`isoloir.notify.debit`) is waited for before sending.
    """
    courriel = Courriel.objects.select_for_update().get(pk=courriel_id)
    if courriel.etat in ETATS_FINAUX:
        return courriel
    debit.attendre_son_tour()
    courriel.tentatives += 1
    try:
        message = composer(courriel)
        mailers.default.send_messages([message])
    except CourrielSansObjet:
        courriel.etat = EtatCourriel.SANS_OBJET
        courriel.save(update_fields=["etat", "tentatives"])
        return courriel
    except Exception as erreur:
        transitoire = est_transitoire(erreur)
        derniere = courriel.tentatives >= settings.ISOLOIR_MAIL_MAX_ATTEMPTS
        courriel.etat = (
            EtatCourriel.A_REESSAYER if transitoire and not derniere else EtatCourriel.EN_ECHEC
        )
        # The class and SMTP reply only: the exception text may quote the message.
        courriel.derniere_erreur = resume(erreur)
        courriel.save(update_fields=["etat", "tentatives", "derniere_erreur", "objet"])
        _oublier_si_ephemere(courriel)
        log.warning(
            "courriel %s (%s) non envoyé, tentative %s : %s",
            courriel.pk,
            courriel.type,
            courriel.tentatives,
            courriel.derniere_erreur,
        )
        return courriel
    courriel.etat = EtatCourriel.ENVOYE
    courriel.envoye_le = horloge.maintenant()
    courriel.derniere_erreur = ""
    courriel.save(update_fields=["etat", "tentatives", "derniere_erreur", "objet", "envoye_le"])
    _oublier_si_ephemere(courriel)
    return courriel


def _oublier_si_ephemere(courriel: Courriel) -> None:
    if courriel.etat in ETATS_FINAUX and contexte_ephemere(courriel.type):
        courriel.contexte = {}
        courriel.save(update_fields=["contexte"])


def resume(erreur: Exception) -> str:
    if isinstance(erreur, smtplib.SMTPResponseException):
        return f"{type(erreur).__name__} {erreur.smtp_code}"
    if isinstance(erreur, smtplib.SMTPRecipientsRefused):
        codes = ",".join(str(code) for code, _ in erreur.recipients.values())
        return f"SMTPRecipientsRefused {codes}"
    return type(erreur).__name__
