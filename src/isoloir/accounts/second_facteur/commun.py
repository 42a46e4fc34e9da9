"""What the steps of the second factor share: its settings, its refusals, the member's
devices and how a code is tried on one of them (throttled, single use)."""

import logging
import math
import secrets
from base64 import b32encode
from collections.abc import Callable
from urllib.parse import quote, urlencode

import django_otp
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from isoloir.accounts import chiffrement_totp
from isoloir.accounts.chiffrement_totp import SecretTOTPIllisible
from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.audit.services import journaliser

ETAPE_SECONDES = 30
CHIFFRES = 6
TOLERANCE = 1  # steps accepted on each side of the current one (phone clock drift)
NOMBRE_CODES_SECOURS = 10
# No 0/o, 1/l/i: a code read from paper must not be misread. 31^10 ≈ 2^49.5.
ALPHABET_SECOURS = "abcdefghjkmnpqrstuvwxyz23456789"
LONGUEUR_SECOURS = 10
EMETTEUR = "Isoloir"  # shown by the application above the account's address
NOM_APPLICATION = "Application d'authentification"
NOM_SECOURS = "Codes de secours"
# Below this wait the message does not bother the member with it (1 s, 2 s after a typo).
ATTENTE_ANNONCEE_SECONDES = 4
OCTETS_DU_SECRET = 20  # 160 bits, RFC 4226's recommendation and django-otp's default

log = logging.getLogger(__name__)


class SecondFacteurRefuse(Exception):
    """A code refused; ``message`` is what the member reads next to the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TropDEssais(SecondFacteurRefuse):
    def __init__(self, attente: int) -> None:
        super().__init__(
            "Trop de codes erronés ont été saisis. Par sécurité, patientez "
            f"{duree_en_francais(attente)} avant de réessayer."
        )
        self.attente = attente


class DejaEnrole(Exception):
    """The account already has a confirmed application: enrolling again is refused (an
    administrator removes the old one first, see docs/second-facteur.md)."""


def appareil_confirme(compte: Compte) -> AppareilTOTP | None:
    return AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=True).order_by("id").first()


def a_un_appareil_confirme(compte: Compte) -> bool:
    return AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=True).exists()


def est_verifie(request: HttpRequest) -> bool:
    """Whether this session proved the second factor (set by OTPMiddleware)."""
    verifie: Callable[[], bool] | None = getattr(request.user, "is_verified", None)
    return bool(request.user.is_authenticated and verifie and verifie())


def codes_de_secours_restants(compte: Compte) -> int:
    return StaticToken.objects.filter(device__user_id=compte.pk, device__name=NOM_SECOURS).count()


def nouvel_appareil(compte_id: int, *, confirme: bool, cle: bytes | None = None) -> AppareilTOTP:
    """An application with ``cle`` (a fresh random secret if none), stored encrypted."""
    cle = secrets.token_bytes(OCTETS_DU_SECRET) if cle is None else cle
    return AppareilTOTP.objects.create(
        user_id=compte_id,
        name=NOM_APPLICATION,
        confirmed=confirme,
        key=chiffrement_totp.chiffrer(cle, compte_id=compte_id),
        step=ETAPE_SECONDES,
        digits=CHIFFRES,
        tolerance=TOLERANCE,
    )


def secret_base32(appareil: AppareilTOTP) -> str:
    return b32encode(appareil.bin_key).decode("ascii").rstrip("=")


def uri_otpauth(appareil: AppareilTOTP) -> str:
    """Key URI format of Google Authenticator, understood by every TOTP application."""
    libelle = quote(f"{EMETTEUR}:{appareil.user.get_username()}")
    parametres = urlencode(
        {
            "secret": secret_base32(appareil),
            "issuer": EMETTEUR,
            "algorithm": "SHA1",
            "digits": appareil.digits,
            "period": appareil.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{libelle}?{parametres}"


def duree_en_francais(secondes: int) -> str:
    if secondes < 60:
        return f"{secondes} seconde{'s' if secondes > 1 else ''}"
    minutes = math.ceil(secondes / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    heures = math.ceil(minutes / 60)
    return f"{heures} heure{'s' if heures > 1 else ''}"


def attente_avant_essai(appareil: AppareilTOTP | StaticDevice) -> int:
    """Seconds before the next try is allowed, 0 if it is now."""
    autorise, info = appareil.verify_is_allowed()
    if autorise or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


def essayer(
    appareil: AppareilTOTP | StaticDevice,
    compte: Compte,
    code: str,
    *,
    ip: str,
    type_echec: str,
    message_echec: str = "Ce code est incorrect ou a déjà servi. Saisissez le code "
    "affiché en ce moment par votre application.",
) -> None:
    """One try of ``code`` on ``appareil``, throttled: raise with a French message if it
    is refused. django-otp locks the row, so two requests cannot spend one code twice."""
    attente = attente_avant_essai(appareil)
    if attente:
        journaliser("second_facteur.bloque", compte_id=compte.pk, ip=ip, attente=attente)
        raise TropDEssais(attente)
    try:
        if django_otp.verify_token(compte, appareil.persistent_id, code) is not None:
            return
    except SecretTOTPIllisible as erreur:
        # Fail closed: no code is accepted against a secret the server cannot read. The
        # log says which setting to check (no secret, no key in it); the member reads
        # what to do now. Recovery codes do not depend on this key.
        log.error("%s", erreur)
        journaliser("second_facteur.secret_illisible", compte_id=compte.pk, ip=ip)
        raise SecondFacteurRefuse(
            "Votre code ne peut pas être vérifié : le serveur ne parvient pas à lire la clé "
            "de votre application d'authentification. Utilisez un code de secours, ou "
            "signalez-le à l'administrateur du portail."
        ) from None
    appareil.refresh_from_db()
    journaliser(type_echec, compte_id=compte.pk, ip=ip, echecs=appareil.throttling_failure_count)
    attente = attente_avant_essai(appareil)
    if attente >= ATTENTE_ANNONCEE_SECONDES:
        message_echec += (
            f" Par sécurité, patientez {duree_en_francais(attente)} avant de réessayer."
        )
    raise SecondFacteurRefuse(message_echec)


def ouvrir_la_session(request: HttpRequest, appareil: AppareilTOTP | StaticDevice) -> None:
    # A new session key for the raised privilege, as login() does for the password.
    request.session.cycle_key()
    django_otp.login(request, appareil)
