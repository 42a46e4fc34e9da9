"""Brevo: ``POST /v3/transactionalSMS/send`` with the ``api-key`` header."""

import json
from dataclasses import dataclass, field

from isoloir.notify.sms import _http
from isoloir.notify.sms.base import ErreurSmsDefinitive, ResultatSms, tient_en_gsm7

BASE = "https://api.brevo.com/v3"

# Words of Brevo's 400 replies that blame the recipient rather than the request.
_MOTS_DESTINATAIRE = ("recipient", "phone", "number", "mobile")


@dataclass(frozen=True, kw_only=True)
class ExpediteurBrevo:
    cle_api: str = field(repr=False)
    expediteur: str
    base: str
    delai: float
    nom = "brevo"

    def envoyer(self, *, numero: str, texte: str, reference: str) -> ResultatSms:
        corps = json.dumps(
            {
                "sender": self.expediteur,
                "recipient": numero.removeprefix("+"),
                "content": texte,
                "type": "transactional",
                "tag": reference,
                "unicodeEnabled": not tient_en_gsm7(texte),
            }
        )
        entetes = {
            "api-key": self.cle_api,
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        with _http.client(delai=self.delai) as session:
            reponse = _http.appeler(
                session,
                "POST",
                f"{self.base}/transactionalSMS/send",
                fournisseur=self.nom,
                contenu=corps.encode(),
                entetes=entetes,
            )
        if not reponse.is_success:
            message = _http.message_erreur(reponse)
            raise ErreurSmsDefinitive(
                detail=f"brevo : HTTP {reponse.status_code}",
                numero_refuse=reponse.status_code == 400
                and any(mot in message for mot in _MOTS_DESTINATAIRE),
            )
        rapport = _http.lire_json(reponse, fournisseur=self.nom)
        identifiant = rapport.get("messageId") if isinstance(rapport, dict) else None
        if identifiant is None:
            raise ErreurSmsDefinitive(detail="brevo : réponse sans identifiant d'envoi")
        return ResultatSms(identifiant_fournisseur=str(identifiant))
