"""Checking an e-mail address typed or imported by people, and saying what is wrong.

"Adresse électronique invalide" alone sends a person hunting for the fault in a file of
30,000 lines. The reason never quotes the address: an import's cell may hold a NUMEN
typed in the wrong column, and the reports are shown and downloaded.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

_valider = EmailValidator()
_INTERDITS = re.compile(r"[,;:<>()\[\]\"\\]")


def raison(adresse: str) -> str:
    """Why Django's validator refuses ``adresse``, in French, the most telling first."""
    if not adresse:
        return "elle est vide"
    if any(c.isspace() for c in adresse):
        return "elle contient une espace"
    if adresse.count("@") == 0:
        return "il manque le caractère @"
    if adresse.count("@") > 1:
        return "elle contient plusieurs @ (une seule adresse par case)"
    locale, domaine = adresse.split("@")
    if not locale:
        return "rien avant le @"
    if not domaine:
        return "rien après le @"
    if domaine.startswith("["):
        return "le domaine est une adresse IP"
    if "." not in domaine:
        return "le domaine après le @ n'a pas de point (par exemple ac-lyon.fr)"
    if _INTERDITS.search(adresse):
        return "elle contient un caractère non permis (virgule, point-virgule, guillemet…)"
    if ".." in adresse or locale.startswith(".") or locale.endswith("."):
        return "deux points de suite, ou un point au début ou à la fin du nom"
    if domaine.startswith((".", "-")) or domaine.endswith((".", "-")):
        return "le domaine commence ou finit par un point ou un tiret"
    return "elle n'a pas la forme nom@domaine.fr"


def valider(adresse: str) -> None:
    """Raise a ValidationError whose message says what is wrong with ``adresse``."""
    try:
        _valider(adresse)
    except ValidationError:
        raise ValidationError(
            f"Adresse électronique invalide : {raison(adresse)}.", code="invalid"
        ) from None
