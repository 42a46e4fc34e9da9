"""OVHcloud: ``POST /1.0/sms/{serviceName}/jobs``, signed with the application secret."""

import hashlib
import json
from dataclasses import dataclass, field

from isoloir.notify.sms import _http
from isoloir.notify.sms.base import (
    ErreurSmsDefinitive,
    ResultatSms,
    tient_en_gsm7,
)

BASES = {
    "eu": "https://eu.api.ovh.com/1.0",
    "ca": "https://ca.api.ovh.com/1.0",
    "us": "https://api.us.ovhcloud.com/1.0",
}


def signature(
    *,
    secret_application: str,
    cle_consommateur: str,
    methode: str,
    url: str,
    corps: str,
    horodatage: str,
) -> str:
    """``$1$`` + SHA-1 of the secrets, method, full URL, body and timestamp joined by
    ``+``, as the OVHcloud API expects."""
    signe = "+".join((secret_application, cle_consommateur, methode, url, corps, horodatage))
    # SHA-1 is the protocol's choice, not ours; FIPS builds refuse it unless told.
    return "$1$" + hashlib.sha1(signe.encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True, kw_only=True)
class ExpediteurOvh:
    cle_application: str
    secret_application: str = field(repr=False)
    cle_consommateur: str = field(repr=False)
    service: str
    expediteur: str
    base: str
    validite_minutes: int
    delai: float
    nom = "ovh"

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        url = f"{self.base}/sms/{self.service}/jobs"
        corps = json.dumps(
            {
                "message": texte,
                "receivers": [numero],
                "sender": self.expediteur,
                "senderForResponse": False,
                # Allowed for a message that is not commercial, and a "STOP" line
                # would only eat into the one segment the link must fit in.
                "noStopClause": True,
                "priority": "high",
                "charset": "UTF-8",
                "coding": "7bit" if tient_en_gsm7(texte) else "8bit",
                "class": "phoneDisplay",
                "validityPeriod": self.validite_minutes,
            }
        )
        with _http.client(delai=self.delai) as session:
            # The signature must carry OVHcloud's clock, not ours.
            reponse = _http.appeler(session, "GET", f"{self.base}/auth/time", fournisseur=self.nom)
            if not reponse.is_success:
                raise ErreurSmsDefinitive(detail=f"ovh : heure, HTTP {reponse.status_code}")
            heure = _http.lire_json(reponse, fournisseur=self.nom)
            if not isinstance(heure, int) or isinstance(heure, bool):
                raise ErreurSmsDefinitive(detail="ovh : heure illisible")
            horodatage = str(heure)
            entetes = {
                "Content-Type": "application/json",
                "X-Ovh-Application": self.cle_application,
                "X-Ovh-Consumer": self.cle_consommateur,
                "X-Ovh-Timestamp": horodatage,
                "X-Ovh-Signature": signature(
                    secret_application=self.secret_application,
                    cle_consommateur=self.cle_consommateur,
                    methode="POST",
                    url=url,
                    corps=corps,
                    horodatage=horodatage,
                ),
            }
            reponse = _http.appeler(
                session,
                "POST",
                url,
                fournisseur=self.nom,
                contenu=corps.encode(),
                entetes=entetes,
            )
        if not reponse.is_success:
            raise ErreurSmsDefinitive(
                detail=f"ovh : HTTP {reponse.status_code}",
                numero_refuse="receiver" in _http.message_erreur(reponse),
            )
        rapport = _http.lire_json(reponse, fournisseur=self.nom)
        ids = rapport.get("ids") if isinstance(rapport, dict) else None
        refuses = rapport.get("invalidReceivers") if isinstance(rapport, dict) else None
        if refuses:
            raise ErreurSmsDefinitive(detail="ovh : destinataire refusé", numero_refuse=True)
        if not isinstance(ids, list) or not ids:
            raise ErreurSmsDefinitive(detail="ovh : réponse sans identifiant d'envoi")
        return ResultatSms(identifiant_fournisseur=str(ids[0]))
