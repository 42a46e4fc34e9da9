"""Composing the product's mails: French text + HTML from templates, transactional headers.

Each kind of mail registers a composer, called by the worker at sending time. Composers
live with their domain (e.g. ``accounts/mails.py``); this module knows none of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from isoloir.notify.models import Courriel
from isoloir.notify.rebonds import adresse_de_retour


@dataclass(frozen=True)
class Contenu:
    objet: str
    gabarit: str  # template path without extension: ``.txt`` and ``.html`` are rendered
    contexte: dict[str, Any]


class CourrielSansObjet(Exception):
    """Raised by a composer when, at sending time, the mail has no reason to leave any more
    (e.g. an activation mail for an account activated since it was queued)."""


Composeur = Callable[[Courriel], Contenu]
_composeurs: dict[str, Composeur] = {}
_ephemeres: set[str] = set()


def composeur(type_courriel: str, *, ephemere: bool = False) -> Callable[[Composeur], Composeur]:
    """Register the composer of a kind of mail. ``ephemere``: its context is erased once
    the mail is sent or given up, because it links the recipient to something that must
    not stay linked in the database (a vote receipt's tracker)."""

    def enregistrer(fonction: Composeur) -> Composeur:
        _composeurs[type_courriel] = fonction
        if ephemere:
            _ephemeres.add(type_courriel)
        return fonction

    return enregistrer


def contexte_ephemere(type_courriel: str) -> bool:
    return type_courriel in _ephemeres


def composer(courriel: Courriel) -> EmailMultiAlternatives:
    try:
        fonction = _composeurs[courriel.type]
    except KeyError:
        raise LookupError(f"Aucun composeur pour le type de courriel {courriel.type!r}") from None
    contenu = fonction(courriel)
    courriel.objet = contenu.objet
    message = construire(contenu, destinataire=courriel.destinataire)
    # VERP: the envelope sender names this very mail, so that its bounce finds it
    # (notify/rebonds.py); the From header stays the service's address.
    message.extra_headers["From"] = message.from_email
    message.from_email = adresse_de_retour(courriel.pk)
    return message


def construire(contenu: Contenu, *, destinataire: str) -> EmailMultiAlternatives:
    """A mail from its content: French text and HTML from the templates, and the headers
    of a transactional mail."""
    contexte = {"objet": contenu.objet, **contenu.contexte}
    message = EmailMultiAlternatives(
        subject=contenu.objet,
        body=render_to_string(f"{contenu.gabarit}.txt", contexte),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[destinataire],
        headers={
            # RFC 3834: no vacation responder should answer a transactional mail.
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "OOF, AutoReply",
            "Message-ID": make_msgid(domain=_domaine_expediteur()),
        },
    )
    message.attach_alternative(render_to_string(f"{contenu.gabarit}.html", contexte), "text/html")
    return message


def _domaine_expediteur() -> str:
    adresse = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return adresse.rsplit("@", 1)[-1] or "isoloir.localhost"


def lien_absolu(chemin: str) -> str:
    return f"{settings.ISOLOIR_BASE_URL}{chemin}"
