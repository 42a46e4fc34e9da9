"""Encryption at rest of the TOTP secrets of the second factor (issue 12, point 26).

The server must read a TOTP secret to compute the codes, so it cannot be hashed like the
recovery codes; it is encrypted instead. django-otp's ``TOTPDevice.key`` column then holds

    aesgcm1$<base64url(nonce ‖ ciphertext ‖ tag)>

AES-256-GCM (authenticated: a ciphertext altered in the table, or read under another key,
is refused, never turned into some other secret), under a key derived by HKDF-SHA256 from
``ISOLOIR_CLE_SECOND_FACTEUR``, which lives outside the database: a copy of the database
alone gives no member's second factor. The account's id is bound to the ciphertext as
associated data, so that whoever can write the table cannot copy the ciphertext of a secret
they know (their own phone's) onto another member's row.

A clear key (django-otp's hex, no prefix) is refused as well: it is what the migration
``0004_secrets_totp_chiffres`` encrypts, and accepting it at login would let whoever writes
the table choose a secret. A 20-byte secret gives 8 + 64 = 72 characters, within the
column's 80; :data:`OCTETS_MAX` is the longest secret that fits.

Key rotation: the new key goes to ``ISOLOIR_CLE_SECOND_FACTEUR``, the previous ones to
``ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES`` (still read, never written), then
``isoloir rechiffrer_second_facteur`` (:func:`rechiffrer_les_secrets`) moves every row to
the new key; the old keys can then be dropped.
"""

import os
from base64 import urlsafe_b64decode, urlsafe_b64encode
from binascii import Error as ErreurBase64
from binascii import hexlify, unhexlify
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIXE = "aesgcm1$"
LONGUEUR_COLONNE = 80  # TOTPDevice.key
TAILLE_NONCE = 12
TAILLE_ETIQUETTE = 16
# The longest secret whose ciphertext, prefix included, fits the column (26 bytes).
OCTETS_MAX = (LONGUEUR_COLONNE - len(PREFIXE)) * 3 // 4 - TAILLE_NONCE - TAILLE_ETIQUETTE
# Domain separation: the AES key derived from a configured value serves this use only, even
# when that value is SECRET_KEY (Django's own HMACs under it use other salts).
ETIQUETTE_HKDF = b"isoloir.accounts.second_facteur: chiffrement des secrets TOTP, v1"


class SecretTOTPIllisible(Exception):
    """A stored secret that no configured key decrypts (or left in clear). The message names
    the settings to check and the account, never the secret nor a key: it goes to the logs."""


def _materiau_courant() -> str:
    # Outside production an unset key falls back on SECRET_KEY, through HKDF with a label of
    # its own: the demo and the tests run with no setup, and their secrets are printed or
    # known anyway. Production refuses to start without ISOLOIR_CLE_SECOND_FACTEUR
    # (config.check_production), so a real secret is never under this fallback.
    return settings.ISOLOIR_CLE_SECOND_FACTEUR or settings.SECRET_KEY


def _cle_aes(materiau: str) -> AESGCM:
    cle = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=ETIQUETTE_HKDF).derive(
        materiau.encode()
    )
    return AESGCM(cle)


def _donnees_associees(compte_id: int) -> bytes:
    return f"isoloir.second_facteur.totp/compte/{compte_id}".encode()


def est_chiffre(valeur: str) -> bool:
    return valeur.startswith(PREFIXE)


def chiffrer(secret: bytes, *, compte_id: int) -> str:
    """The column's value for ``secret``, under the current key, bound to the account."""
    if len(secret) > OCTETS_MAX:
        raise ValueError(
            f"Un secret TOTP de {len(secret)} octets ne tient pas chiffré dans la colonne "
            f"(au plus {OCTETS_MAX} octets)."
        )
    nonce = os.urandom(TAILLE_NONCE)
    chiffre = _cle_aes(_materiau_courant()).encrypt(nonce, secret, _donnees_associees(compte_id))
    return PREFIXE + urlsafe_b64encode(nonce + chiffre).decode("ascii").rstrip("=")


def _dechiffrer_sous(valeur: str, compte_id: int) -> tuple[bytes, bool]:
    """The secret, and whether the current key (not an old one) read it."""
    if not est_chiffre(valeur):
        raise SecretTOTPIllisible(
            f"Le secret TOTP du compte {compte_id} est en clair dans la base : lancer "
            "« isoloir migrate » ou « isoloir rechiffrer_second_facteur »."
        )
    corps = valeur.removeprefix(PREFIXE)
    try:
        brut = urlsafe_b64decode(corps + "=" * (-len(corps) % 4))
    except (ErreurBase64, ValueError):
        brut = b""
    nonce, chiffre = brut[:TAILLE_NONCE], brut[TAILLE_NONCE:]
    materiaux = [_materiau_courant(), *settings.ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES]
    if len(nonce) == TAILLE_NONCE and len(chiffre) >= TAILLE_ETIQUETTE:
        for rang, materiau in enumerate(materiaux):
            try:
                secret = _cle_aes(materiau).decrypt(nonce, chiffre, _donnees_associees(compte_id))
            except InvalidTag:
                continue
            return secret, rang == 0
    raise SecretTOTPIllisible(
        f"Le secret TOTP du compte {compte_id} ne se déchiffre sous aucune des clés "
        "configurées (ISOLOIR_CLE_SECOND_FACTEUR, ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES) : "
        "clé changée sans garder l'ancienne, ou ligne altérée."
    )


def dechiffrer(valeur: str, *, compte_id: int) -> bytes:
    """The secret held in the column's ``valeur``; :class:`SecretTOTPIllisible` otherwise."""
    return _dechiffrer_sous(valeur, compte_id)[0]


@dataclass(frozen=True)
class Bilan:
    rechiffres: int  # in clear or under an old key, now under the current one
    a_jour: int  # already under the current key, left alone
    illisibles: int  # under no configured key, left alone for the right key to read


def rechiffrer_les_secrets(modele: Any, base: str = "default") -> Bilan:
    """Bring every row of ``modele`` (django-otp's TOTPDevice, or its historical version in
    a migration) under the current key. Idempotent and resumable: a row already under the
    current key is not touched, each row is written on its own, and only if its ``key`` is
    still the one read (a verification running meanwhile writes other columns)."""
    rechiffres = a_jour = illisibles = 0
    for pk, compte_id, valeur in (
        modele.objects.using(base).values_list("pk", "user_id", "key").iterator()
    ):
        try:
            if est_chiffre(valeur):
                secret, courante = _dechiffrer_sous(valeur, compte_id)
                if courante:
                    a_jour += 1
                    continue
            else:
                secret = unhexlify(valeur)
            nouvelle = chiffrer(secret, compte_id=compte_id)
        except (SecretTOTPIllisible, ValueError):  # binascii.Error is a ValueError
            illisibles += 1
            continue
        modele.objects.using(base).filter(pk=pk, key=valeur).update(key=nouvelle)
        rechiffres += 1
    return Bilan(rechiffres=rechiffres, a_jour=a_jour, illisibles=illisibles)


def remettre_en_clair(modele: Any, base: str = "default") -> int:
    """Back to django-otp's clear hex (reverse of the migration); rows already in clear are
    left alone. Refuses, rather than losing it, a secret that no configured key reads."""
    remis = 0
    for pk, compte_id, valeur in (
        modele.objects.using(base).values_list("pk", "user_id", "key").iterator()
    ):
        if not est_chiffre(valeur):
            continue
        secret = dechiffrer(valeur, compte_id=compte_id)
        modele.objects.using(base).filter(pk=pk, key=valeur).update(
            key=hexlify(secret).decode("ascii")
        )
        remis += 1
    return remis
