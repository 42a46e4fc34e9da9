"""The NUMEN: format check and keyed hash.

A NUMEN has 13 characters: académie (2 digits), information system (1 letter), year of
entry (2 digits), then 5 digits and 3 letters, e.g. ``01E9501234ABC``. Its random part
holds about 31 bits, so it is kept only as an HMAC under a key stored outside the
database (``ISOLOIR_NUMEN_KEY``): a stolen database alone does not give it back.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError

FORMAT = re.compile(r"^\d{2}[A-Z]\d{7}[A-Z]{3}$")


def normaliser(saisie: str) -> str:
    return re.sub(r"[\s.\-]", "", saisie or "").upper()


def valider(saisie: str) -> str:
    numen = normaliser(saisie)
    if not FORMAT.fullmatch(numen):
        raise ValidationError(
            "Le NUMEN comporte 13 caractères : 2 chiffres, 1 lettre, 7 chiffres puis 3 lettres "
            "(par exemple 01E9501234ABC).",
            code="numen_format",
        )
    return numen


def empreinte(numen: str) -> str:
    cle = settings.ISOLOIR_NUMEN_KEY.encode()
    return hmac.new(cle, b"numen:" + normaliser(numen).encode(), hashlib.sha256).hexdigest()


def correspond(saisie: str, empreinte_attendue: str) -> bool:
    return hmac.compare_digest(empreinte(saisie), empreinte_attendue)
