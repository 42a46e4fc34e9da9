"""The SMS backend named by a URL, as ``ISOLOIR_SMS_URL`` gives it (see docs/sms.md)."""

import math
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from isoloir.notify.sms import _http, brevo, ovh
from isoloir.notify.sms.base import ExpediteurSms
from isoloir.notify.sms.locaux import (
    PANNES,
    ExpediteurConsole,
    ExpediteurFichier,
    ExpediteurMemoire,
)

# What operators accept as a sender: up to 11 letters and digits, or a number.
_EXPEDITEUR = re.compile(r"[A-Za-z0-9 ]{1,11}|\+?[0-9]{1,15}")


def expediteur_depuis_url(url: str) -> ExpediteurSms:
    """``console://``, ``file://`` (or ``file:///dossier``), ``memoire://`` (with
    ``?panne=transitoire|definitive|numero``),
    ``ovh://APP_KEY:APP_SECRET@eu?consumer_key=…&service_name=…&sender=…``,
    ``brevo://API_KEY@?sender=…``. The HTTP ones take ``endpoint`` (the API base, its
    version included) and ``timeout`` (seconds); OVH takes ``validity_period``
    (minutes, by default the réassort link's lifetime).

    Raises :class:`ImproperlyConfigured` with a message that quotes no secret.
    """
    morceaux = urlsplit(url)
    options = {cle: valeurs[-1] for cle, valeurs in parse_qs(morceaux.query).items()}
    match morceaux.scheme:
        case "console":
            _verifier_options(options, ())
            return ExpediteurConsole()
        case "file":
            _verifier_options(options, ())
            if morceaux.netloc:
                raise ImproperlyConfigured(
                    "ISOLOIR_SMS_URL : écrivez file:///chemin/absolu (trois barres obliques)."
                )
            dossier = Path(unquote(morceaux.path)) if morceaux.path else None
            return ExpediteurFichier(dossier=dossier or Path(settings.DATA_DIR) / "sms")
        case "memoire":
            _verifier_options(options, ("panne",))
            panne = options.get("panne", "")
            if panne and panne not in PANNES:
                raise ImproperlyConfigured(
                    f"ISOLOIR_SMS_URL : panne inconnue, attendu {', '.join(PANNES)}."
                )
            return ExpediteurMemoire(panne=panne)
        case "ovh":
            _verifier_options(
                options,
                (
                    "consumer_key",
                    "service_name",
                    "sender",
                    "endpoint",
                    "timeout",
                    "validity_period",
                ),
            )
            region = morceaux.hostname or ""
            if region not in ovh.BASES:
                raise ImproperlyConfigured(
                    f"ISOLOIR_SMS_URL : région OVHcloud inconnue, attendu {', '.join(ovh.BASES)}."
                )
            return ovh.ExpediteurOvh(
                cle_application=_requis(unquote(morceaux.username or ""), "APP_KEY"),
                secret_application=_requis(unquote(morceaux.password or ""), "APP_SECRET"),
                cle_consommateur=_requis(options.get("consumer_key", ""), "consumer_key"),
                service=_requis(options.get("service_name", ""), "service_name"),
                expediteur=_expediteur(options),
                base=_base(options, ovh.BASES[region]),
                validite_minutes=_entier_positif(
                    options, "validity_period", _duree_du_lien_en_minutes()
                ),
                delai=_delai(options),
            )
        case "brevo":
            _verifier_options(options, ("sender", "endpoint", "timeout"))
            return brevo.ExpediteurBrevo(
                cle_api=_requis(unquote(morceaux.username or ""), "API_KEY"),
                expediteur=_expediteur(options),
                base=_base(options, brevo.BASE),
                delai=_delai(options),
            )
    raise ImproperlyConfigured(
        "ISOLOIR_SMS_URL doit commencer par console://, file://, memoire://, ovh:// ou brevo://."
    )


def _verifier_options(options: Mapping[str, str], connues: tuple[str, ...]) -> None:
    # A misspelt option would otherwise be ignored, and its default silently used.
    inconnues = sorted(set(options) - set(connues))
    if inconnues:
        raise ImproperlyConfigured(
            f"ISOLOIR_SMS_URL : option(s) inconnue(s) {', '.join(inconnues)}."
        )


def _requis(valeur: str, nom: str) -> str:
    if not valeur:
        raise ImproperlyConfigured(f"ISOLOIR_SMS_URL : {nom} manquant.")
    return valeur


def _expediteur(options: Mapping[str, str]) -> str:
    expediteur = _requis(options.get("sender", ""), "sender")
    if not _EXPEDITEUR.fullmatch(expediteur):
        raise ImproperlyConfigured(
            "ISOLOIR_SMS_URL : sender doit compter au plus 11 lettres et chiffres, "
            "ou être un numéro."
        )
    return expediteur


def _base(options: Mapping[str, str], defaut: str) -> str:
    base = options.get("endpoint", defaut).rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ImproperlyConfigured("ISOLOIR_SMS_URL : endpoint doit être une URL http(s).")
    return base


def _delai(options: Mapping[str, str]) -> float:
    try:
        delai = float(options.get("timeout", _http.DELAI_PAR_DEFAUT))
    except ValueError:
        delai = math.nan
    if not 0 < delai <= 60:
        raise ImproperlyConfigured("ISOLOIR_SMS_URL : timeout doit être un nombre de secondes.")
    return delai


def _entier_positif(options: Mapping[str, str], nom: str, defaut: int) -> int:
    valeur = options.get(nom, str(defaut))
    if not valeur.isdigit() or int(valeur) == 0:
        raise ImproperlyConfigured(f"ISOLOIR_SMS_URL : {nom} doit être un entier positif.")
    return int(valeur)


def _duree_du_lien_en_minutes() -> int:
    # An SMS delivered after its link has expired is useless: let the operator drop it.
    return max(1, math.ceil(settings.ISOLOIR_REASSORT_LINK_SECONDS / 60))
