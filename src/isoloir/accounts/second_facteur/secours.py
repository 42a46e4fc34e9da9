"""The recovery codes: ten single-use codes printed by the member, of which only a keyed
hash is stored."""

import re
import secrets

from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur.commun import (
    ALPHABET_SECOURS,
    LONGUEUR_SECOURS,
    NOM_SECOURS,
    NOMBRE_CODES_SECOURS,
)
from isoloir.audit.services import journaliser


def normaliser_code_de_secours(code: str) -> str:
    """What the member typed, without spaces, hyphens or capitals."""
    return re.sub(r"[^0-9a-z]", "", code.lower())


def empreinte_secours(code_normalise: str) -> str:
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
            StaticToken(device=appareil, token=empreinte_secours(code)) for code in codes
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
