"""Bounces: each mail's own return path, and the delivery status notifications that come
back to it.

Every mail leaves with the envelope sender (SMTP ``MAIL FROM``, the future
``Return-Path``) ``rebond+<id>.<hmac>@<ISOLOIR_DOMAINE_REBONDS>`` (VERP): a bounce names
the mail it is about by the address it is sent to, whatever the remote server writes in
it. The HMAC (keyed by ``SECRET_KEY``) means nobody can forge a bounce that would stop the
mails of a voter they chose: an address whose tag is wrong is ignored.

A notification is parsed as RFC 3464 says (``multipart/report;
report-type=delivery-status``, a ``message/delivery-status`` part with one block per
recipient). A permanent failure (status 5.x.x, action ``failed``) marks the mail « rejeté »
and lists its address among the rejected ones, which later mailings skip; a transient one
(4.x.x, typically ``delayed``) is only recorded, since the remote server keeps trying.
Bounces are not journaled one by one (the journal keeps mailings, not mails).
"""

import logging
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from isoloir.core import horloge
from isoloir.notify.models import AdresseRejetee, Courriel, EtatCourriel, Rebond

log = logging.getLogger(__name__)

PREFIXE = "rebond"
_SEL = "isoloir.notify.rebonds"
ADRESSE_DE_REBOND = re.compile(rf"^{PREFIXE}\+(\d+)\.([0-9a-f]{{16}})@", re.IGNORECASE)
STATUT = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")


def domaine_des_rebonds() -> str:
    """``ISOLOIR_DOMAINE_REBONDS``, else the sender's domain."""
    if settings.ISOLOIR_DOMAINE_REBONDS:
        return str(settings.ISOLOIR_DOMAINE_REBONDS)
    adresse = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return adresse.rsplit("@", 1)[-1] or "isoloir.localhost"


def _signature(courriel_id: int) -> str:
    return salted_hmac(_SEL, str(courriel_id), algorithm="sha256").hexdigest()[:16]


def adresse_de_retour(courriel_id: int) -> str:
    return f"{PREFIXE}+{courriel_id}.{_signature(courriel_id)}@{domaine_des_rebonds()}"


def courriel_de_l_adresse(adresse: str) -> int | None:
    """The mail a return address names, or None if it is not one of ours or is forged."""
    trouve = ADRESSE_DE_REBOND.match(adresse.strip().strip("<>"))
    if not trouve:
        return None
    courriel_id = int(trouve.group(1))
    if not constant_time_compare(trouve.group(2).lower(), _signature(courriel_id)):
        return None
    return courriel_id


@dataclass(frozen=True)
class Notification:
    """What one recipient block of a DSN says."""

    action: str
    statut: str
    diagnostic: str

    @property
    def permanente(self) -> bool:
        return self.statut.startswith("5")

    @property
    def transitoire(self) -> bool:
        return self.statut.startswith("4")


def lire_notifications(message: Message) -> list[Notification]:
    """The recipient blocks of a delivery status notification; none if it is not one."""
    notifications = []
    for partie in message.walk():
        if partie.get_content_type() != "message/delivery-status":
            continue
        blocs = partie.get_payload()
        if not isinstance(blocs, list):
            continue
        # The first block is about the message, the next ones each about one recipient.
        for bloc in blocs[1:]:
            if not isinstance(bloc, Message):
                continue
            notification = _lire_bloc(bloc)
            if notification is not None:
                notifications.append(notification)
    return notifications


def _lire_bloc(bloc: Message) -> Notification | None:
    action = str(bloc.get("Action", "")).strip().lower()
    diagnostic = " ".join(str(bloc.get("Diagnostic-Code", "")).split())
    # "Status: 5.1.1 (comment)"; some servers put only the diagnostic's enhanced code.
    trouve = STATUT.search(str(bloc.get("Status", ""))) or STATUT.search(diagnostic)
    if not trouve:
        return None
    statut = ".".join(trouve.groups())
    if statut.startswith("2") or action in ("delivered", "relayed", "expanded"):
        return None  # a success report (NOTIFY=SUCCESS): nothing to do
    return Notification(action=action[:16], statut=statut, diagnostic=diagnostic[:500])


class Resultat:
    IGNORE = "ignoré"
    REJETE = "rejeté"
    TRANSITOIRE = "transitoire"


def traiter(contenu: bytes, *, destinataires: list[str]) -> str:
    """Handle one received notification, sent to ``destinataires`` (the SMTP envelope's
    recipients, or the delivery headers of a stored mailbox). Idempotent: the same
    notification twice is recorded once."""
    courriel_id = next(
        (i for i in (courriel_de_l_adresse(a) for a in destinataires) if i is not None), None
    )
    if courriel_id is None:
        log.info("rebond ignoré : adresse de retour inconnue ou falsifiée")
        return Resultat.IGNORE
    message = message_from_bytes(contenu, policy=policy.compat32)
    notifications = lire_notifications(message)
    if not notifications:
        log.info("rebond ignoré pour le courriel %s : pas de rapport RFC 3464", courriel_id)
        return Resultat.IGNORE
    # One of our mails has one recipient: the worst status decides.
    notification = max(notifications, key=lambda n: (n.permanente, n.transitoire))
    if not (notification.permanente or notification.transitoire):
        return Resultat.IGNORE
    return _enregistrer(courriel_id, notification)


def _enregistrer(courriel_id: int, notification: Notification) -> str:
    maintenant = horloge.maintenant()
    with transaction.atomic():
        courriel = Courriel.objects.select_for_update().filter(pk=courriel_id).first()
        if courriel is None:  # purged since
            return Resultat.IGNORE
        try:
            with transaction.atomic():
                Rebond.objects.create(
                    courriel=courriel,
                    action=notification.action,
                    statut=notification.statut,
                    diagnostic=notification.diagnostic,
                    permanent=notification.permanente,
                    recu_le=maintenant,
                )
        except IntegrityError:
            pass  # the same notification again
        if not notification.permanente:
            return Resultat.TRANSITOIRE
        if courriel.etat != EtatCourriel.REJETE:
            courriel.etat = EtatCourriel.REJETE
            courriel.derniere_erreur = f"Rebond {notification.statut}"
            courriel.save(update_fields=["etat", "derniere_erreur"])
        AdresseRejetee.objects.update_or_create(
            adresse=courriel.destinataire.lower(),
            defaults={
                "statut": notification.statut,
                "diagnostic": notification.diagnostic,
                "courriel": courriel,
                "rejetee_le": maintenant,
            },
        )
    return Resultat.REJETE


def destinataires_d_un_message_stocke(message: Message) -> list[str]:
    """Where a bounce stored in a mailbox was delivered: the delivery agent's headers."""
    adresses = []
    for entete in ("X-Original-To", "Delivered-To", "Envelope-To", "To"):
        for valeur in message.get_all(entete, []):
            adresses.extend(re.findall(r"[^\s<>,;\"]+@[^\s<>,;\"]+", str(valeur)))
    return adresses
