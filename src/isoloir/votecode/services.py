"""The code de vote: issuing it, checking it, and the voting space it opens.

The voting space is a mark in the portal session: the voter, the generation of the code
that opened it and its expiry. A new code (réassort) raises the generation, which ends
every voting space opened with the old one at its next request.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge, limites
from isoloir.votecode import code
from isoloir.votecode.models import CodeDeVote, Origine

CLE_SESSION = "espace_de_vote"


class CodeRefuse(Exception):
    message = (
        "Le code de vote ou le CAPTCHA est incorrect. Vérifiez votre saisie et recopiez "
        "la nouvelle image."
    )


class CodeBloque(CodeRefuse):
    message = (
        "Trop d'essais infructueux : la saisie du code de vote est suspendue pendant une heure. "
        "Si vous avez perdu votre code, demandez-en un nouveau par le réassort."
    )


class ServiceSature(CodeRefuse):
    message = (
        "Le service reçoit trop de codes erronés en ce moment. Par sécurité, réessayez dans "
        "quelques minutes."
    )


# Attempts, given back on success: a voter who types the right code is never slowed down.
PAR_ELECTEUR = limites.Limite("code-electeur", 5, 3600)
PAR_IP = limites.Limite("code-ip", 100, 3600)
# A brake on a distributed attack spreading guesses over many accounts and addresses.
GLOBAL = limites.Limite("code-global", 2000, 60)


def emettre(*, electeur: Electeur, origine: Origine) -> str:
    """Give the voter a new code and return it; the previous one stops working at once.

    Runs in the caller's transaction: the new hash, the new generation (which ends the
    voting spaces opened with the old code) and the caller's own writes land together.
    """
    nouveau = code.tirer()
    empreinte = code.hacher(nouveau)
    existant = CodeDeVote.objects.select_for_update().filter(electeur=electeur).first()
    if existant is None:
        CodeDeVote.objects.create(
            electeur=electeur, empreinte=empreinte, origine=origine, emis_le=horloge.maintenant()
        )
    else:
        existant.empreinte = empreinte
        existant.generation += 1
        existant.origine = origine
        existant.emis_le = horloge.maintenant()
        existant.save(update_fields=["empreinte", "generation", "origine", "emis_le"])
    return nouveau


@dataclass(frozen=True)
class EspaceDeVote:
    electeur_id: int
    generation: int
    expire_le: datetime


def verifier_et_ouvrir(
    *, session: SessionBase, electeur: Electeur, saisie: str, ip: str
) -> EspaceDeVote:
    """Check the code typed by the logged-in voter and open their voting space.

    Unknown code, wrong code or no code at all get the same answer. Failures are counted
    per voter, per IP and over the whole service.
    """
    # Each attempt is counted before the code is checked (see isoloir.core.limites), so
    # that simultaneous requests cannot all pass; a success gives its counts back.
    essais = limites.compter(PAR_ELECTEUR, str(electeur.pk))
    essais_ip = limites.compter(PAR_IP, ip)
    if limites.depasse(PAR_ELECTEUR, essais) or limites.depasse(PAR_IP, essais_ip):
        journaliser("code.bloque", compte_id=electeur.compte_id, ip=ip)
        raise CodeBloque
    if limites.est_bloque(GLOBAL, "*"):
        journaliser("code.service_sature", compte_id=electeur.compte_id, ip=ip)
        raise ServiceSature
    actuel = CodeDeVote.objects.filter(electeur=electeur).first()
    # With no code, a dummy hash is still checked, so that the answer takes as long.
    empreinte = actuel.empreinte if actuel else _EMPREINTE_FACTICE.valeur()
    if not code.verifier(saisie, empreinte) or actuel is None:
        limites.compter(GLOBAL, "*")
        journaliser("code.echec", compte_id=electeur.compte_id, ip=ip)
        if essais >= PAR_ELECTEUR.plafond:
            raise CodeBloque
        raise CodeRefuse
    limites.rendre(PAR_IP, ip)
    limites.effacer(PAR_ELECTEUR, str(electeur.pk))
    espace = EspaceDeVote(
        electeur_id=electeur.pk,
        generation=actuel.generation,
        expire_le=horloge.maintenant() + timedelta(seconds=settings.ISOLOIR_ESPACE_DE_VOTE_SECONDS),
    )
    # A new session key: whoever knew the previous one does not get the voting space.
    session.cycle_key()
    session[CLE_SESSION] = {
        "electeur": espace.electeur_id,
        "generation": espace.generation,
        "expire_le": espace.expire_le.isoformat(),
    }
    journaliser("code.accepte", compte_id=electeur.compte_id, ip=ip)
    return espace


def espace_ouvert(*, session: SessionBase, electeur: Electeur | None) -> EspaceDeVote | None:
    """The voting space of this session, if it is still valid: same voter, not expired,
    and opened with the voter's current code."""
    marque = session.get(CLE_SESSION)
    if not marque or electeur is None or marque.get("electeur") != electeur.pk:
        return None
    expire_le = datetime.fromisoformat(marque["expire_le"])
    generation = (
        CodeDeVote.objects.filter(electeur=electeur).values_list("generation", flat=True).first()
    )
    if expire_le <= horloge.maintenant() or generation != marque["generation"]:
        session.pop(CLE_SESSION, None)
        return None
    return EspaceDeVote(electeur.pk, marque["generation"], expire_le)


def fermer_espace(*, session: SessionBase) -> None:
    session.pop(CLE_SESSION, None)


class _EmpreinteFactice:
    """A hash of a random code, made once, for voters without a code."""

    _valeur: str | None = None

    def valeur(self) -> str:
        if self._valeur is None:
            self._valeur = code.hacher(code.tirer())
        return self._valeur


_EMPREINTE_FACTICE = _EmpreinteFactice()


@transaction.atomic
def emettre_code_initial(*, electeur: Electeur) -> str:
    """One voter's first code, outside the notices run (which issues a whole roll)."""
    return emettre(electeur=electeur, origine=Origine.INITIAL)
