"""Backends that send nothing: the console and files for the demo, memory for tests.

Console and files show the text, since the demo needs its link, and only a masked
number. Refused in production.
"""

import re
import secrets
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from isoloir.notify.masquage import masquer_mobile
from isoloir.notify.sms.base import (
    ErreurSmsDefinitive,
    ErreurSmsTransitoire,
    ResultatSms,
)


def _identifiant(prefixe: str) -> str:
    return f"{prefixe}-{secrets.token_hex(6)}"


@dataclass(frozen=True, kw_only=True)
class ExpediteurConsole:
    nom = "console"

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        sys.stdout.write(
            f"\n──── SMS pour {masquer_mobile(numero)} (référence {reference})\n{texte}\n────\n"
        )
        sys.stdout.flush()
        return ResultatSms(identifiant_fournisseur=_identifiant(self.nom))


@dataclass(frozen=True, kw_only=True)
class ExpediteurFichier:
    dossier: Path
    nom = "fichier"

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        self.dossier.mkdir(parents=True, exist_ok=True)
        identifiant = _identifiant(self.nom)
        horodatage = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        nom_fichier = re.sub(r"[^A-Za-z0-9_-]", "_", f"{horodatage}-{reference}")[:120]
        (self.dossier / f"{nom_fichier}.txt").write_text(
            f"À : {masquer_mobile(numero)}\nRéférence : {reference}\n"
            f"Identifiant : {identifiant}\n\n{texte}\n",
            encoding="utf-8",
        )
        return ResultatSms(identifiant_fournisseur=identifiant)


@dataclass(frozen=True, kw_only=True)
class SmsEnvoye:
    numero: str
    texte: str
    reference: str
    identifiant_fournisseur: str


# What ``memoire://`` sent, in order, number included since tests need it. Empty it
# with ``boite_envoi.clear()``: rebinding the name would leave backends the old list.
boite_envoi: list[SmsEnvoye] = []

PANNES = ("transitoire", "definitive", "numero")


@dataclass(frozen=True, kw_only=True)
class ExpediteurMemoire:
    """``panne`` makes every sending fail, so that tests of the callers can show the
    voter each message: ``transitoire``, ``definitive``, or ``numero`` (number refused)."""

    panne: str = ""
    nom = "memoire"

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        if self.panne == "transitoire":
            raise ErreurSmsTransitoire(detail="memoire : panne simulée")
        if self.panne in ("definitive", "numero"):
            raise ErreurSmsDefinitive(
                detail="memoire : panne simulée", numero_refuse=self.panne == "numero"
            )
        envoi = SmsEnvoye(
            numero=numero,
            texte=texte,
            reference=reference,
            identifiant_fournisseur=_identifiant(self.nom),
        )
        boite_envoi.append(envoi)
        return ResultatSms(identifiant_fournisseur=envoi.identifiant_fournisseur)
