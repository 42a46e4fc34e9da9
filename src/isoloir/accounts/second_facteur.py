"""Second factor of the bureau de vote's members: TOTP (RFC 6238) and recovery codes.

The président, the secrétaire and the délégués of a bureau (issue 5 § 1) reach pages that
decide a scrutin (key ceremony, count, participation): a password alone is not enough
there. Each member enrols an authenticator application once (6 digits, 30 s steps, one
step of tolerance each side), then proves it once per session; :func:`exige_second_facteur`
guards the views.

What django-otp gives us and what we add:

- ``TOTPDevice`` keeps ``last_t``, the step of the last accepted code: a code is accepted
  once, and no older one after it (no replay, even within its 30 seconds).
- ``ThrottlingMixin`` doubles the wait after each failure (1 s, 2 s, 4 s…); we check it
  *before* trying a code so that the member is told how long to wait, in French.
- ``StaticToken`` stores recovery codes **in clear** (``token`` is a plain indexed
  column). We therefore store only a keyed hash of each code in that column
  (:func:`_empreinte_secours`, HMAC-SHA256 under ``SECRET_KEY``, 64 bits kept): a copy
  of the database reveals no usable code, and django-otp's own single-use deletion and
  throttling keep working unchanged. Rotating ``SECRET_KEY`` voids the recovery codes.
- The TOTP secret itself must stay readable by the server (it computes the codes): it is
  the only copy besides the member's phone, shown once at enrolment, never journaled.
  django-otp keeps it in clear in ``TOTPDevice.key``; we store it encrypted there
  (AES-GCM under ``ISOLOIR_CLE_SECOND_FACTEUR``, :mod:`isoloir.accounts.chiffrement_totp`)
  and read it through the proxy :class:`~isoloir.accounts.models.AppareilTOTP`. A secret
  that no configured key decrypts refuses the code (fail closed) with a French message.

Accounts are referred to by id (``user_id=compte.pk``): the views pass ``request.user``,
a lazy proxy that the database router cannot place in a relation.

Throttling reads :func:`django.utils.timezone.now` (inside django-otp), not
:func:`isoloir.core.clock.now`; the waits announced here use the same clock as the check.
"""

import logging
import math
import re
import secrets
from base64 import b32decode, b32encode
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast
from urllib.parse import quote, urlencode

import django_otp
import segno
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode as urlencode_django
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from isoloir.accounts import chiffrement_totp
from isoloir.accounts.chiffrement_totp import SecretTOTPIllisible
from isoloir.accounts.models import AppareilTOTP, Compte
from isoloir.audit.services import journaliser
from isoloir.core.requests import client_ip

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

logger = logging.getLogger(__name__)


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


# --- Reads --------------------------------------------------------------------------


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


def _attente(appareil: AppareilTOTP | StaticDevice) -> int:
    """Seconds before the next try is allowed, 0 if it is now."""
    autorise, info = appareil.verify_is_allowed()
    if autorise or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


# --- Enrolment ----------------------------------------------------------------------


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
            logger.warning("%s Activation reprise avec un nouveau secret.", erreur)
            appareil.delete()
    appareil = nouvel_appareil(compte.pk, confirme=False)
    journaliser("second_facteur.enrolement", compte_id=compte.pk, ip=ip)
    return Enrolement(appareil=appareil, uri=uri_otpauth(appareil), secret=secret_base32(appareil))


def confirmer(request: HttpRequest, *, code: str) -> list[str]:
    """Confirm the application with its first code, verify this session with it, and
    return the recovery codes, to be shown once."""
    compte = cast(Compte, request.user)
    ip = client_ip(request)
    appareil = (
        AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=False).order_by("-id").first()
    )
    if appareil is None:
        raise SecondFacteurRefuse(
            "Aucune activation n'est en cours pour ce compte. Rechargez la page."
        )
    _essayer(appareil, compte, code, ip=ip, type_echec="second_facteur.confirmation_echec")
    with transaction.atomic():
        appareil.confirmed = True
        appareil.save(update_fields=["confirmed"])
        # Leftovers of abandoned enrolments would only be secrets lying around.
        AppareilTOTP.objects.filter(user_id=compte.pk, confirmed=False).delete()
        journaliser("second_facteur.confirme", compte_id=compte.pk, ip=ip)
        codes = generer_codes_de_secours(compte, ip=ip)
    _ouvrir_la_session(request, appareil)
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


# --- Verification -------------------------------------------------------------------


def verifier(request: HttpRequest, *, code: str) -> None:
    """Check a code of the member's application and mark the session verified."""
    compte = cast(Compte, request.user)
    appareil = appareil_confirme(compte)
    if appareil is None:
        raise SecondFacteurRefuse("Ce compte n'a pas encore d'application d'authentification.")
    ip = client_ip(request)
    _essayer(appareil, compte, code, ip=ip, type_echec="second_facteur.echec")
    journaliser("second_facteur.verifie", compte_id=compte.pk, ip=ip)
    _ouvrir_la_session(request, appareil)


def verifier_code_de_secours(request: HttpRequest, *, code: str) -> int:
    """Spend one recovery code and mark the session verified; returns how many remain."""
    compte = cast(Compte, request.user)
    appareil = StaticDevice.objects.filter(user_id=compte.pk, name=NOM_SECOURS).first()
    ip = client_ip(request)
    normalise = normaliser_code_de_secours(code)
    if appareil is None:
        raise SecondFacteurRefuse("Ce compte n'a pas de codes de secours.")
    _essayer(
        appareil,
        compte,
        _empreinte_secours(normalise),
        ip=ip,
        type_echec="second_facteur.code_de_secours_echec",
        message_echec="Ce code de secours est incorrect ou a déjà servi.",
    )
    restants = codes_de_secours_restants(compte)
    journaliser("second_facteur.code_de_secours", compte_id=compte.pk, ip=ip, restants=restants)
    _ouvrir_la_session(request, appareil)
    return restants


def _essayer(
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
    attente = _attente(appareil)
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
        logger.error("%s", erreur)
        journaliser("second_facteur.secret_illisible", compte_id=compte.pk, ip=ip)
        raise SecondFacteurRefuse(
            "Votre code ne peut pas être vérifié : le serveur ne parvient pas à lire la clé "
            "de votre application d'authentification. Utilisez un code de secours, ou "
            "signalez-le à l'administrateur du portail."
        ) from None
    appareil.refresh_from_db()
    journaliser(type_echec, compte_id=compte.pk, ip=ip, echecs=appareil.throttling_failure_count)
    attente = _attente(appareil)
    if attente >= ATTENTE_ANNONCEE_SECONDES:
        message_echec += (
            f" Par sécurité, patientez {duree_en_francais(attente)} avant de réessayer."
        )
    raise SecondFacteurRefuse(message_echec)


def _ouvrir_la_session(request: HttpRequest, appareil: AppareilTOTP | StaticDevice) -> None:
    # A new session key for the raised privilege, as login() does for the password.
    request.session.cycle_key()
    django_otp.login(request, appareil)


# --- Recovery codes -----------------------------------------------------------------


def normaliser_code_de_secours(code: str) -> str:
    """What the member typed, without spaces, hyphens or capitals."""
    return re.sub(r"[^0-9a-z]", "", code.lower())


def _empreinte_secours(code_normalise: str) -> str:
    # Keyed: the codes have ~50 bits, within reach of a brute force on a leaked unkeyed
    # hash; the key is outside the database. 16 hex digits fit StaticToken.token.
    return salted_hmac(
        "isoloir.accounts.second_facteur.secours", code_normalise, algorithm="sha256"
    ).hexdigest()[:16]


def generer_codes_de_secours(compte: Compte, *, ip: str = "") -> list[str]:
    """Ten new single-use codes replacing the previous ones. Only their keyed hashes are
    stored; the codes returned are shown once and never again."""
    codes = [
        "".join(secrets.choice(ALPHABET_SECOURS) for _ in range(LONGUEUR_SECOURS))
        for _ in range(NOMBRE_CODES_SECOURS)
    ]
    with transaction.atomic():
        appareil, _ = StaticDevice.objects.get_or_create(
            user_id=compte.pk, name=NOM_SECOURS, defaults={"confirmed": True}
        )
        appareil.token_set.all().delete()
        StaticToken.objects.bulk_create(
            StaticToken(device=appareil, token=_empreinte_secours(code)) for code in codes
        )
        appareil.throttle_reset()
        journaliser(
            "second_facteur.codes_de_secours_generes",
            compte_id=compte.pk,
            ip=ip,
            nombre=len(codes),
        )
    moitie = LONGUEUR_SECOURS // 2
    return [f"{code[:moitie]}-{code[moitie:]}" for code in codes]


# --- Guarding views -----------------------------------------------------------------


def adresse_avec_suivant(nom_url: str, suivant: str) -> str:
    """The page ``nom_url``, which will send the member on to ``suivant`` (if any)."""
    if not suivant:
        return reverse(nom_url)
    return f"{reverse(nom_url)}?{urlencode_django({'next': suivant})}"


def exige_second_facteur(vue: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the views of the bureau de vote: a logged-in account whose session proved its
    second factor. Otherwise: the login page, the enrolment (no application yet) or the
    verification (application, but not proved in this session), each coming back here."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        suivant = request.get_full_path()
        if not request.user.is_authenticated:
            return redirect_to_login(suivant)
        if est_verifie(request):
            return vue(request, *args, **kwargs)
        if not a_un_appareil_confirme(cast(Compte, request.user)):
            return redirect(adresse_avec_suivant("accounts:second_facteur_enrolement", suivant))
        return redirect(adresse_avec_suivant("accounts:second_facteur_verification", suivant))

    return enveloppe
