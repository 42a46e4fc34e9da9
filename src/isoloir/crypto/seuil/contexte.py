"""Context of a threshold ceremony: constants, errors, small group helpers, the
context and the holders' communication keys, the two proofs, and the strict reading of
published objects."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

import pysodium

from isoloir.crypto.groupe import (
    NEUTRE,
    Alea,
    OperationImpossible,
    base,
    est_encodage_canonique,
    est_neutre,
    est_point,
    est_scalaire_canonique,
    hacher_en_scalaire,
    message_hache,
    mul,
    scalaire_add,
    scalaire_de_entier,
    scalaire_mul,
    sub,
)

VERSION = 1

ETIQUETTE_CONTEXTE = "isoloir/v1/seuil/contexte"
ETIQUETTE_CONNAISSANCE = "isoloir/v1/seuil/connaissance"
ETIQUETTE_PART = "isoloir/v1/seuil/part"
ETIQUETTE_PART_CLE = "isoloir/v1/seuil/part-cle"
ETIQUETTE_PART_NONCE = "isoloir/v1/seuil/part-nonce"
ETIQUETTE_PLAINTE = "isoloir/v1/seuil/plainte"
ETIQUETTE_CLE = "isoloir/v1/seuil/cle"
ETIQUETTE_DECHIFFREMENT = "isoloir/v1/seuil/dechiffrement"

# A bureau de vote has a handful of key holders; the bound keeps every index a small
# integer and every transcript small.
MAX_DETENTEURS = 255
MAX_IDENTIFIANT = 256

TAILLE_CLE_AEAD = 32
TAILLE_NONCE = 24
TAILLE_TAG = 16
# An encrypted share: a 32-byte scalar and the Poly1305 tag.
TAILLE_PART_CHIFFREE = 32 + TAILLE_TAG

_ZERO = scalaire_de_entier(0)
_HEX = re.compile(r"(?:[0-9a-f]{2})*")


# --- Errors ------------------------------------------------------------------------------


class ErreurSeuil(ValueError):
    """Base of this module's refusals."""


class FormatInvalide(ErreurSeuil):
    """A published object that does not have the shape the protocol gives it."""


class PartIndechiffrable(ErreurSeuil):
    """An encrypted share that does not open (AEAD tag, or not a reduced scalar inside)."""


class CeremonieInvalide(ErreurSeuil):
    """The key ceremony cannot give a key: too few qualified dealers, a duplicate message,
    a holder missing the share of a qualified dealer."""


class DechiffrementRefuse(ErreurSeuil):
    """The combination is refused: fewer than ``t`` shares, a duplicate index, a partial
    decryption whose proof fails, a count beyond the maximum."""


class TranscriptionInvalide(ErreurSeuil):
    """The public transcript does not verify; the message says which part and why."""


# --- Small helpers -----------------------------------------------------------------------


def _blake2b(octets: bytes, taille: int) -> bytes:
    return bytes(pysodium.crypto_generichash(octets, outlen=taille))


def _fois(s: bytes, p: bytes) -> bytes:
    """``s·P``, the identity included (libsodium refuses to multiply to or from it)."""
    if s == _ZERO or est_neutre(p):
        return NEUTRE
    return mul(s, p)


def _fois_b(s: bytes) -> bytes:
    """``s·B``, ``0·B`` included."""
    return NEUTRE if s == _ZERO else base(s)


def _est_point_ou_neutre(p: object) -> bool:
    """What a sum of ciphertexts may hold: a valid encoding, the identity allowed."""
    return isinstance(p, bytes) and (est_neutre(p) or est_encodage_canonique(p))


def _est_indice(j: object, n: int) -> bool:
    return type(j) is int and 1 <= j <= n


def _inverse(s: bytes) -> bytes:
    """``s⁻¹`` modulo ℓ (libsodium's ``scalar_invert``); ValueError for 0."""
    return bytes(pysodium.crypto_core_ristretto255_scalar_invert(s))


# --- Context -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contexte:
    """What the ceremony is about: its identifier (campaign and bureau de vote), the
    threshold ``t`` and the communication keys ``Z_1 … Z_n`` of the holders, in index
    order. Its fingerprint enters every challenge and every encrypted share."""

    identifiant: str
    seuil: int
    cles_communication: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if (
            not isinstance(self.identifiant, str)
            or not self.identifiant
            or len(self.identifiant) > MAX_IDENTIFIANT
        ):
            raise FormatInvalide(f"identifiant must be a string of 1 to {MAX_IDENTIFIANT} chars")
        try:
            self.identifiant.encode("utf-8")
        except UnicodeEncodeError as erreur:
            raise FormatInvalide("identifiant is not encodable in UTF-8") from erreur
        cles = self.cles_communication
        if not isinstance(cles, tuple) or not 1 <= len(cles) <= MAX_DETENTEURS:
            raise FormatInvalide(f"between 1 and {MAX_DETENTEURS} communication keys")
        if type(self.seuil) is not int or not 1 <= self.seuil <= len(cles):
            raise FormatInvalide("the threshold t must be an integer with 1 ≤ t ≤ n")
        if not all(isinstance(z, bytes) and est_point(z) for z in cles):
            raise FormatInvalide("a communication key is not a valid, non-identity point")
        if len(set(cles)) != len(cles):
            raise FormatInvalide("two holders share a communication key")

    @property
    def nombre(self) -> int:
        """``n``, the number of key holders."""
        return len(self.cles_communication)

    def cle_communication(self, j: int) -> bytes:
        """``Z_j`` (holders are indexed from 1)."""
        if not _est_indice(j, self.nombre):
            raise ValueError(f"no holder {j!r} in 1..{self.nombre}")
        return self.cles_communication[j - 1]

    @cached_property
    def empreinte(self) -> bytes:
        """``H_ctx = BLAKE2b-256(enc("isoloir/v1/seuil/contexte") ‖ enc(id) ‖ enc(t) ‖
        enc(n) ‖ enc(Z_1) ‖ … ‖ enc(Z_n))``."""
        message = message_hache(
            ETIQUETTE_CONTEXTE,
            self.identifiant,
            self.seuil,
            self.nombre,
            *self.cles_communication,
        )
        return _blake2b(message, 32)

    def vers_dict(self) -> dict[str, Any]:
        return {
            "identifiant": self.identifiant,
            "seuil": self.seuil,
            "cles_communication": [z.hex() for z in self.cles_communication],
        }

    @classmethod
    def depuis_dict(cls, d: object) -> Self:
        o = _objet(d, {"identifiant", "seuil", "cles_communication"}, "contexte")
        return cls(
            identifiant=_texte(o["identifiant"], "contexte.identifiant"),
            seuil=_entier(o["seuil"], "contexte.seuil"),
            cles_communication=tuple(
                _octets(z, 32, f"contexte.cles_communication[{k}]")
                for k, z in enumerate(_liste(o["cles_communication"], "contexte"))
            ),
        )


def generer_cle_communication(alea: Alea) -> tuple[bytes, bytes]:
    """A holder's long-term communication key pair ``(z, Z = z·B)``: one draw."""
    z = alea.scalaire()
    return z, base(z)


# --- Proofs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreuveConnaissance:
    """Schnorr proof of knowledge of ``a_i0`` with ``C_i0 = a_i0·B``."""

    c: bytes
    s: bytes

    def vers_dict(self) -> dict[str, Any]:
        return {"c": self.c.hex(), "s": self.s.hex()}

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "preuve") -> Self:
        o = _objet(d, {"c", "s"}, ou)
        return cls(c=_octets(o["c"], 32, f"{ou}.c"), s=_octets(o["s"], 32, f"{ou}.s"))


@dataclass(frozen=True)
class PreuveEgalite:
    """Chaum-Pedersen proof that ``log_B(H) = log_G(K)``."""

    c: bytes
    s: bytes

    def vers_dict(self) -> dict[str, Any]:
        return {"c": self.c.hex(), "s": self.s.hex()}

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "preuve") -> Self:
        o = _objet(d, {"c", "s"}, ou)
        return cls(c=_octets(o["c"], 32, f"{ou}.c"), s=_octets(o["s"], 32, f"{ou}.s"))


def defi_connaissance(contexte: Contexte, i: int, engagements: Sequence[bytes], a: bytes) -> bytes:
    """``Hs("isoloir/v1/seuil/connaissance", H_ctx, i, C_i0, …, C_i,t−1, A)``."""
    return hacher_en_scalaire(ETIQUETTE_CONNAISSANCE, contexte.empreinte, i, *engagements, a)


def _prouver_connaissance(
    contexte: Contexte, i: int, engagements: Sequence[bytes], a0: bytes, w: bytes
) -> PreuveConnaissance:
    c = defi_connaissance(contexte, i, engagements, base(w))
    return PreuveConnaissance(c=c, s=scalaire_add(w, scalaire_mul(c, a0)))


def verifier_preuve_connaissance(
    contexte: Contexte, i: int, engagements: Sequence[bytes], preuve: PreuveConnaissance
) -> bool:
    """``A = s·B − c·C_i0``, then ``c`` must be the challenge of ``A``."""
    if not (est_scalaire_canonique(preuve.c) and est_scalaire_canonique(preuve.s)):
        return False
    if not engagements or not est_point(engagements[0]):
        return False
    try:
        a = sub(base(preuve.s), mul(preuve.c, engagements[0]))
    except OperationImpossible:
        return False
    return defi_connaissance(contexte, i, engagements, a) == preuve.c


def _prouver_egalite(
    etiquette: str, prefixe: Sequence[bytes | str | int], x: bytes, g: bytes, w: bytes
) -> PreuveEgalite:
    """Proof that ``H = x·B`` and ``K = x·G``, ``H`` and ``K`` being in ``prefixe``;
    ``c = Hs(étiquette, *prefixe, w·B, w·G)``, ``s = w + c·x``."""
    c = hacher_en_scalaire(etiquette, *prefixe, base(w), mul(w, g))
    return PreuveEgalite(c=c, s=scalaire_add(w, scalaire_mul(c, x)))


def _verifier_egalite(
    etiquette: str,
    prefixe: Sequence[bytes | str | int],
    h: bytes,
    g: bytes,
    k: bytes,
    preuve: PreuveEgalite,
) -> bool:
    """``A = s·B − c·H``, ``A' = s·G − c·K``, ``c = Hs(étiquette, *prefixe, A, A')``. A zero
    scalar or an identity on the way (libsodium refuses it) makes the proof false."""
    if not (est_scalaire_canonique(preuve.c) and est_scalaire_canonique(preuve.s)):
        return False
    try:
        a = sub(base(preuve.s), mul(preuve.c, h))
        a_prime = sub(mul(preuve.s, g), mul(preuve.c, k))
    except OperationImpossible:
        return False
    return hacher_en_scalaire(etiquette, *prefixe, a, a_prime) == preuve.c


# --- Strict reading of published objects -------------------------------------------------


def _objet(valeur: object, cles: set[str], ou: str) -> dict[str, Any]:
    if not isinstance(valeur, dict):
        raise FormatInvalide(f"{ou} must be an object")
    if set(valeur) != cles:
        raise FormatInvalide(
            f"{ou}: missing keys {sorted(cles - set(valeur))}, "
            f"unexpected keys {sorted(set(valeur) - cles)}"
        )
    return valeur


def _liste(valeur: object, ou: str) -> list[Any]:
    if not isinstance(valeur, list):
        raise FormatInvalide(f"{ou} must be a list")
    return valeur


def _texte(valeur: object, ou: str) -> str:
    if not isinstance(valeur, str):
        raise FormatInvalide(f"{ou} must be a string")
    return valeur


def _entier(valeur: object, ou: str, maximum: int | None = 2**32 - 1) -> int:
    if type(valeur) is not int or valeur < 0 or (maximum is not None and valeur > maximum):
        raise FormatInvalide(f"{ou} must be a non-negative integer")
    return valeur


def _octets(valeur: object, taille: int, ou: str) -> bytes:
    if not isinstance(valeur, str) or len(valeur) != 2 * taille or not _HEX.fullmatch(valeur):
        raise FormatInvalide(f"{ou} must be {2 * taille} lowercase hexadecimal digits")
    return bytes.fromhex(valeur)
