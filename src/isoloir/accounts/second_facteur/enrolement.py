"""Enrolling the member's authenticator application: the secret to scan, its
confirmation by a first code (which verifies the session and gives the recovery codes),
the demo's known secret, and the re-encryption of every secret after a key rotation."""

from base64 import b32decode
from dataclasses import dataclass
from typing import cast

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from isoloir.accounts import chiffrement_totp
from isoloir.accounts.chiffrement_totp import SecretTOTPIllisible
from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.accounts.second_facteur.commun import (
    DejaEnrole,
    SecondFacteurRefuse,
    a_un_appareil_confirme,
    essayer,
    log,
    nouvel_appareil,
    ouvrir_la_session,
    secret_base32,
    uri_otpauth,
)
from isoloir.accounts.second_facteur.secours import generer_codes_de_secours
from isoloir.audit.services import journaliser
from isoloir.core.requetes import adresse_du_client


@dataclass(frozen=True)
class Enrolement:
    appareil: AppareilTOTP
    uri: str  # otpauth://totp/… for the QR code
    secret: str  # base32, for manual entry

    @property
    def secret_groupe(self) -> str:
        """« ABCD EFGH … »: groups of four are easier to copy without a slip."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def qr_svg(self) -> SafeString:
        """The QR code as an inline ``<svg>``, drawn here: no image request, nothing for
        the CSP to refuse, and the secret never leaves this response."""
        qr = segno.make(self.uri, error="m")
        svg = qr.svg_inline(
            scale=5, border=4, dark="#000", light="#fff", title=None, svgclass="qr-code"
        )
        svg = svg.replace(
            "<svg ",
            '<svg role="img" aria-label="QR code à scanner avec votre application '
            'd’authentification (la clé est aussi donnée en texte ci-dessous)" ',
            1,
        )
        return mark_safe(svg)  # noqa: S308  # segno's output, no user input in it


def enroler(compte: Compte, *, ip: str = "") -> Enrolement:
    """Start (or resume) the enrolment: an unconfirmed application whose secret the
    member copies into their phone. Reloading the page shows the same secret, so that a
    QR code already scanned stays the right one."""
    if a_un_appareil_confirme(compte):
        raise DejaEnrole
    appareil = (
        AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=False).order_by("-id").first()
    )
    if appareil is not None:
        try:
            return Enrolement(
                appareil=appareil, uri=uri_otpauth(appareil), secret=secret_base32(appareil)
            )
        except SecretTOTPIllisible as erreur:
            # Encrypted under a key the server no longer has. Nobody relies on an
            # unconfirmed application: a new secret, to scan again, is all it costs.
            log.warning("%s Activation reprise avec un nouveau secret.", erreur)
            appareil.delete()
    appareil = nouvel_appareil(compte.pk, confirme=False)
    journaliser("second_facteur.enrolement", compte_id=compte.pk, ip=ip)
    return Enrolement(appareil=appareil, uri=uri_otpauth(appareil), secret=secret_base32(appareil))


def confirmer(request: HttpRequest, *, code: str) -> list[str]:
    """Confirm the application with its first code, verify this session with it, and
    return the recovery codes, to be shown once."""
    compte = cast(Compte, request.user)
    ip = adresse_du_client(request)
    appareil = (
        AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=False).order_by("-id").first()
    )
    if appareil is None:
        raise SecondFacteurRefuse(
            "Aucune activation n'est en cours pour ce compte. Rechargez la page."
        )
    essayer(appareil, compte, code, ip=ip, type_echec="second_facteur.confirmation_echec")
    with transaction.atomic():
        appareil.confirmed = True
        appareil.save(update_fields=["confirmed"])
        # Leftovers of abandoned enrolments would only be secrets lying around.
        AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=False).delete()
        journaliser("second_facteur.confirme", compte_id=compte.pk, ip=ip)
        codes = generer_codes_de_secours(compte, ip=ip)
    ouvrir_la_session(request, appareil)
    return codes


def appareil_de_demonstration(compte: Compte, secret_base32: str) -> AppareilTOTP:
    """A confirmed application with a known secret, for ``isoloir demo`` to print: the
    demo's bureau members log in with any TOTP application set to this secret. Never
    for production (the secret is known)."""
    secret = secret_base32.replace(" ", "").upper()
    cle = b32decode(secret + "=" * (-len(secret) % 8))
    AppareilTOTP.objects.filter(user_id=compte.pk).delete()
    appareil = nouvel_appareil(compte.pk, confirme=True, cle=cle)
    journaliser("second_facteur.demonstration", compte_id=compte.pk)
    return appareil


def rechiffrer_les_secrets() -> chiffrement_totp.Bilan:
    """Every TOTP secret under the current key, after a rotation (the old key still listed
    in ``ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES``) or for a row written in clear. Idempotent;
    journaled with its counts only."""
    bilan = chiffrement_totp.rechiffrer_les_secrets(AppareilTOTP)
    journaliser(
        "second_facteur.secrets_rechiffres",
        rechiffres=bilan.rechiffres,
        a_jour=bilan.a_jour,
        illisibles=bilan.illisibles,
    )
    return bilan
