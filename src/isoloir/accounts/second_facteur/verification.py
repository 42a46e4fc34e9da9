"""Proving the second factor in a session: a code of the member's application, or one
of their recovery codes, each spent once."""

from typing import cast

from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur.commun import (
    NOM_SECOURS,
    SecondFacteurRefuse,
    appareil_confirme,
    codes_de_secours_restants,
    essayer,
    ouvrir_la_session,
)
from isoloir.accounts.second_facteur.secours import empreinte_secours, normaliser_code_de_secours
from isoloir.audit.services import journaliser
from isoloir.core.requetes import adresse_du_client


def verifier(request: HttpRequest, *, code: str) -> None:
    """Check a code of the member's application and mark the session verified."""
    compte = cast(Compte, request.user)
    appareil = appareil_confirme(compte)
    if appareil is None:
        raise SecondFacteurRefuse("Ce compte n'a pas encore d'application d'authentification.")
    ip = adresse_du_client(request)
    essayer(appareil, compte, code, ip=ip, type_echec="second_facteur.echec")
    journaliser("second_facteur.verifie", compte_id=compte.pk, ip=ip)
    ouvrir_la_session(request, appareil)


def verifier_code_de_secours(request: HttpRequest, *, code: str) -> int:
    """Spend one recovery code and mark the session verified; returns how many remain."""
    compte = cast(Compte, request.user)
    appareil = StaticDevice.objects.filter(user_id=compte.pk, name=NOM_SECOURS).first()
    ip = adresse_du_client(request)
    normalise = normaliser_code_de_secours(code)
    if appareil is None:
        raise SecondFacteurRefuse("Ce compte n'a pas de codes de secours.")
    essayer(
        appareil,
        compte,
        empreinte_secours(normalise),
        ip=ip,
        type_echec="second_facteur.code_de_secours_echec",
        message_echec="Ce code de secours est incorrect ou a déjà servi.",
    )
    restants = codes_de_secours_restants(compte)
    journaliser("second_facteur.code_de_secours", compte_id=compte.pk, ip=ip, restants=restants)
    ouvrir_la_session(request, appareil)
    return restants
