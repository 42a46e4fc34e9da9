"""A key holder's secret kept under a passphrase (``docs/protocol-seuil.md`` § 13).

The holder's tool (``isoloir-seuil.js``, in the browser) keeps the key share ``x_j`` or
the communication key ``z_j`` on the holder's device only encrypted: a key derived from
the passphrase by Argon2id (libsodium's ``crypto_pwhash``, explicit limits written in the
vault), then XChaCha20-Poly1305 with the vault's parameters as associated data. This module
is the same format in Python, so that either side opens what the other wrote.

Vault (JSON, sorted keys)::

    {"chiffre":"<hex>","memoire":67108864,"nonce":"<48 hex>","operations":3,
     "sel":"<32 hex>","version":1}
"""

import re
import unicodedata
from typing import Any

import pysodium

from isoloir.crypto.groupe import message_hache

VERSION = 1
ETIQUETTE_COFFRE = "isoloir/v1/seuil/coffre"

# Defaults: three passes over 64 MiB, what a phone's browser derives in about a second.
OPERATIONS = 3
MEMOIRE = 64 * 1024 * 1024
# What a vault may ask for: no weaker than libsodium's "interactive" limits, and no more
# than a browser can give (a tampered vault must not make the reader allocate gigabytes).
OPERATIONS_MIN = 2
OPERATIONS_MAX = 16
MEMOIRE_MIN = 64 * 1024 * 1024
MEMOIRE_MAX = 1024 * 1024 * 1024

TAILLE_SEL = 16  # crypto_pwhash_SALTBYTES
TAILLE_NONCE = 24
TAILLE_CLE = 32
TAILLE_TAG = 16
TAILLE_SECRET_MAX = 1024

_HEX = re.compile(r"(?:[0-9a-f]{2})*")
_CLES = {"version", "operations", "memoire", "sel", "nonce", "chiffre"}


class CoffreInvalide(ValueError):
    """A vault that does not have the format's shape or limits."""


class PhraseIncorrecte(CoffreInvalide):
    """The vault does not open: a wrong passphrase, or a vault altered."""


def phrase_en_octets(phrase: str) -> bytes:
    """The passphrase as Argon2id reads it: Unicode NFC, then UTF-8 (so that "é" typed
    as one code point or as "e" + U+0301 gives the same key). Empty: ValueError."""
    if not isinstance(phrase, str) or not phrase:
        raise ValueError("the passphrase must be a non-empty string")
    try:
        return unicodedata.normalize("NFC", phrase).encode("utf-8")
    except UnicodeEncodeError as erreur:
        raise ValueError("the passphrase has no UTF-8 encoding") from erreur


def _verifier_limites(operations: object, memoire: object) -> None:
    if type(operations) is not int or not OPERATIONS_MIN <= operations <= OPERATIONS_MAX:
        raise CoffreInvalide(
            f"operations must be an integer in [{OPERATIONS_MIN}, {OPERATIONS_MAX}]"
        )
    if type(memoire) is not int or not MEMOIRE_MIN <= memoire <= MEMOIRE_MAX:
        raise CoffreInvalide(f"memoire must be an integer in [{MEMOIRE_MIN}, {MEMOIRE_MAX}]")


def donnees_associees(operations: int, memoire: int, sel: bytes) -> bytes:
    """``M("isoloir/v1/seuil/coffre", version, operations, memoire, sel)``: the AEAD's
    associated data, so that no parameter of the vault changes unnoticed."""
    return message_hache(ETIQUETTE_COFFRE, VERSION, operations, memoire, sel)


def deriver_cle(phrase: str, sel: bytes, operations: int, memoire: int) -> bytes:
    """Argon2id (v1.3) of the passphrase: 32 bytes."""
    _verifier_limites(operations, memoire)
    if len(sel) != TAILLE_SEL:
        raise CoffreInvalide(f"the salt is {TAILLE_SEL} bytes")
    return bytes(
        pysodium.crypto_pwhash(
            TAILLE_CLE,
            phrase_en_octets(phrase),
            sel,
            operations,
            memoire,
            pysodium.crypto_pwhash_ALG_ARGON2ID13,
        )
    )


def chiffrer_secret(
    secret: bytes,
    phrase: str,
    *,
    operations: int = OPERATIONS,
    memoire: int = MEMOIRE,
    sel: bytes | None = None,
    nonce: bytes | None = None,
) -> dict[str, Any]:
    """The vault of ``secret`` (1 to 1024 bytes) under ``phrase``. ``sel`` and ``nonce``
    are drawn by libsodium; giving them is for test vectors only."""
    if not isinstance(secret, bytes) or not 1 <= len(secret) <= TAILLE_SECRET_MAX:
        raise ValueError(f"the secret is 1 to {TAILLE_SECRET_MAX} bytes")
    sel = pysodium.randombytes(TAILLE_SEL) if sel is None else sel
    nonce = pysodium.randombytes(TAILLE_NONCE) if nonce is None else nonce
    if len(nonce) != TAILLE_NONCE:
        raise ValueError(f"the nonce is {TAILLE_NONCE} bytes")
    cle = deriver_cle(phrase, sel, operations, memoire)
    chiffre = pysodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        secret, donnees_associees(operations, memoire, sel), nonce, cle
    )
    return {
        "version": VERSION,
        "operations": operations,
        "memoire": memoire,
        "sel": bytes(sel).hex(),
        "nonce": bytes(nonce).hex(),
        "chiffre": bytes(chiffre).hex(),
    }


def _octets(valeur: object, nom: str, minimum: int, maximum: int) -> bytes:
    if (
        not isinstance(valeur, str)
        or not 2 * minimum <= len(valeur) <= 2 * maximum
        or not _HEX.fullmatch(valeur)
    ):
        raise CoffreInvalide(f"{nom} must be lowercase hexadecimal of the right length")
    return bytes.fromhex(valeur)


def lire_coffre(coffre: object) -> tuple[int, int, bytes, bytes, bytes]:
    """Strict reading: ``(operations, memoire, sel, nonce, chiffre)``."""
    if not isinstance(coffre, dict) or set(coffre) != _CLES:
        raise CoffreInvalide(f"a vault is an object with exactly the keys {sorted(_CLES)}")
    if type(coffre["version"]) is not int or coffre["version"] != VERSION:
        raise CoffreInvalide(f"version must be {VERSION}")
    operations, memoire = coffre["operations"], coffre["memoire"]
    _verifier_limites(operations, memoire)
    return (
        operations,
        memoire,
        _octets(coffre["sel"], "sel", TAILLE_SEL, TAILLE_SEL),
        _octets(coffre["nonce"], "nonce", TAILLE_NONCE, TAILLE_NONCE),
        _octets(coffre["chiffre"], "chiffre", 1 + TAILLE_TAG, TAILLE_SECRET_MAX + TAILLE_TAG),
    )


def dechiffrer_secret(coffre: object, phrase: str) -> bytes:
    """The secret in ``coffre``. :class:`CoffreInvalide` for a malformed vault,
    :class:`PhraseIncorrecte` if it does not open."""
    operations, memoire, sel, nonce, chiffre = lire_coffre(coffre)
    cle = deriver_cle(phrase, sel, operations, memoire)
    try:
        return bytes(
            pysodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                chiffre, donnees_associees(operations, memoire, sel), nonce, cle
            )
        )
    except ValueError as erreur:
        raise PhraseIncorrecte("wrong passphrase, or the vault was altered") from erreur
