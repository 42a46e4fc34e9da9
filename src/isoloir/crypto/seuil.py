"""The threshold key of a bureau de vote and the threshold decryption of the tally.

Protocol ``docs/protocol-seuil.md``. No dealer: each of the ``n`` key holders deals a
random polynomial of degree ``t − 1`` (Pedersen's distributed key generation, shares
checked against Feldman commitments, each constant term proven known by a Schnorr proof
so that nobody picks a rogue key). The election key is ``Y = Σ C_i0`` over the qualified
dealers; holder ``j`` keeps ``x_j = Σ f_i(j)``, and anyone computes ``Y_j = x_j·B`` from
the commitments. At the tally, any ``t`` holders publish ``D_j = x_j·α`` with a
Chaum-Pedersen proof, and anyone combines them with Lagrange coefficients at 0. Fewer than
``t`` holders, the server included, learn nothing of ``x = Σ a_i0``.

Shares travel encrypted to the recipient's communication key (ephemeral-static
Diffie-Hellman over ristretto255, then XChaCha20-Poly1305 from libsodium). A holder who
receives a bad share publishes a complaint that reveals the Diffie-Hellman secret of that
one share, with a proof: everybody can then open the share and judge the dealer.

Every group and scalar operation is one libsodium call; the only integers handled in
Python are the holders' small indices, turned into scalars.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

import pysodium

from isoloir.crypto.elgamal import Chiffre, logarithme_discret
from isoloir.crypto.groupe import (
    NEUTRE,
    Alea,
    OperationImpossible,
    add,
    base,
    est_neutre,
    est_point,
    est_scalaire_canonique,
    hacher_en_scalaire,
    message_hache,
    mul,
    scalaire_add,
    scalaire_de_entier,
    scalaire_mul,
    scalaire_sub,
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
    return isinstance(p, bytes) and (
        est_neutre(p)
        or (len(p) == 32 and bool(pysodium.crypto_core_ristretto255_is_valid_point(p)))
    )


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


# --- Share encryption --------------------------------------------------------------------


@dataclass(frozen=True)
class PartChiffree:
    """The share ``s_ij`` from dealer ``i`` (emetteur) to holder ``j`` (destinataire):
    ephemeral point ``E = e·B`` and the AEAD ciphertext (48 bytes)."""

    emetteur: int
    destinataire: int
    ephemere: bytes
    chiffre: bytes

    def vers_dict(self) -> dict[str, Any]:
        return {
            "emetteur": self.emetteur,
            "destinataire": self.destinataire,
            "ephemere": self.ephemere.hex(),
            "chiffre": self.chiffre.hex(),
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "part") -> Self:
        o = _objet(d, {"emetteur", "destinataire", "ephemere", "chiffre"}, ou)
        return cls(
            emetteur=_entier(o["emetteur"], f"{ou}.emetteur"),
            destinataire=_entier(o["destinataire"], f"{ou}.destinataire"),
            ephemere=_octets(o["ephemere"], 32, f"{ou}.ephemere"),
            chiffre=_octets(o["chiffre"], TAILLE_PART_CHIFFREE, f"{ou}.chiffre"),
        )


def donnees_associees(contexte: Contexte, emetteur: int, destinataire: int) -> bytes:
    """The AEAD's associated data: ``enc("isoloir/v1/seuil/part") ‖ enc(H_ctx) ‖ enc(i) ‖
    enc(j)``. A share cannot be moved to another ceremony, dealer or recipient."""
    return message_hache(ETIQUETTE_PART, contexte.empreinte, emetteur, destinataire)


def cle_et_nonce(ephemere: bytes, cle_destinataire: bytes, secret: bytes) -> tuple[bytes, bytes]:
    """The AEAD key ``BLAKE2b-256(enc("isoloir/v1/seuil/part-cle") ‖ enc(E) ‖ enc(Z_j) ‖
    enc(K))`` and nonce ``BLAKE2b-192(enc("isoloir/v1/seuil/part-nonce") ‖ enc(E) ‖
    enc(Z_j))``, ``K = e·Z_j = z_j·E`` being the Diffie-Hellman secret. The key is fresh
    for each ephemeral ``e``: the nonce never meets the same key twice."""
    cle = _blake2b(message_hache(ETIQUETTE_PART_CLE, ephemere, cle_destinataire, secret), 32)
    nonce = _blake2b(message_hache(ETIQUETTE_PART_NONCE, ephemere, cle_destinataire), 24)
    return cle, nonce


def chiffrer_part(
    contexte: Contexte, emetteur: int, destinataire: int, part: bytes, alea: Alea
) -> PartChiffree:
    """Encrypts the scalar ``part`` to holder ``destinataire``'s communication key: one
    draw (the ephemeral ``e``)."""
    if not _est_indice(emetteur, contexte.nombre):
        raise ValueError(f"no holder {emetteur!r} to send a share")
    if not est_scalaire_canonique(part):
        raise ValueError("a share is a reduced 32-byte scalar")
    cle_destinataire = contexte.cle_communication(destinataire)
    e = alea.scalaire()
    ephemere = base(e)
    cle, nonce = cle_et_nonce(ephemere, cle_destinataire, mul(e, cle_destinataire))
    chiffre = pysodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        part, donnees_associees(contexte, emetteur, destinataire), nonce, cle
    )
    return PartChiffree(
        emetteur=emetteur, destinataire=destinataire, ephemere=ephemere, chiffre=bytes(chiffre)
    )


def ouvrir_part(contexte: Contexte, part: PartChiffree, secret: bytes) -> bytes:
    """The share inside ``part``, from the Diffie-Hellman secret ``K`` (what a complaint
    reveals). :class:`PartIndechiffrable` if it does not open to a reduced scalar."""
    if (
        not _est_indice(part.emetteur, contexte.nombre)
        or not isinstance(part.chiffre, bytes)
        or len(part.chiffre) != TAILLE_PART_CHIFFREE
        or not est_point(part.ephemere)
    ):
        raise PartIndechiffrable("malformed encrypted share")
    cle, nonce = cle_et_nonce(part.ephemere, contexte.cle_communication(part.destinataire), secret)
    try:
        clair = bytes(
            pysodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                part.chiffre,
                donnees_associees(contexte, part.emetteur, part.destinataire),
                nonce,
                cle,
            )
        )
    except ValueError as erreur:
        raise PartIndechiffrable(
            f"share from holder {part.emetteur} to holder {part.destinataire} does not open"
        ) from erreur
    if not est_scalaire_canonique(clair):
        raise PartIndechiffrable("the share is not a reduced scalar")
    return clair


def _secret_partage(contexte: Contexte, part: PartChiffree, z: bytes) -> bytes:
    if not _est_indice(part.destinataire, contexte.nombre):
        raise ValueError("no such recipient")
    if _fois_b(z) != contexte.cle_communication(part.destinataire):
        raise ValueError(f"z is not the communication key of holder {part.destinataire}")
    if not est_point(part.ephemere):
        raise PartIndechiffrable("the ephemeral point is not a valid, non-identity point")
    return mul(z, part.ephemere)


def dechiffrer_part(contexte: Contexte, part: PartChiffree, z: bytes) -> bytes:
    """The share sent to the holder whose communication private key is ``z``."""
    return ouvrir_part(contexte, part, _secret_partage(contexte, part, z))


# --- Dealing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """What dealer ``i`` publishes: ``C_i0 … C_i,t−1``, the proof of knowledge of
    ``a_i0`` and the ``n`` encrypted shares, recipient 1 first."""

    detenteur: int
    engagements: tuple[bytes, ...]
    preuve: PreuveConnaissance
    parts: tuple[PartChiffree, ...]

    def vers_dict(self) -> dict[str, Any]:
        return {
            "detenteur": self.detenteur,
            "engagements": [c.hex() for c in self.engagements],
            "preuve": self.preuve.vers_dict(),
            "parts": [p.vers_dict() for p in self.parts],
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "distribution") -> Self:
        o = _objet(d, {"detenteur", "engagements", "preuve", "parts"}, ou)
        return cls(
            detenteur=_entier(o["detenteur"], f"{ou}.detenteur"),
            engagements=tuple(
                _octets(c, 32, f"{ou}.engagements[{k}]")
                for k, c in enumerate(_liste(o["engagements"], f"{ou}.engagements"))
            ),
            preuve=PreuveConnaissance.depuis_dict(o["preuve"], f"{ou}.preuve"),
            parts=tuple(
                PartChiffree.depuis_dict(p, f"{ou}.parts[{k}]")
                for k, p in enumerate(_liste(o["parts"], f"{ou}.parts"))
            ),
        )


def evaluer_polynome(coefficients: Sequence[bytes], j: int) -> bytes:
    """``f(j) = Σ a_k·j^k`` modulo ℓ (Horner, libsodium's scalar operations)."""
    x = scalaire_de_entier(j)
    valeur = coefficients[-1]
    for a in reversed(coefficients[:-1]):
        valeur = scalaire_add(scalaire_mul(valeur, x), a)
    return valeur


def evaluer_engagements(engagements: Sequence[bytes], j: int) -> bytes:
    """``Σ_k j^k·C_k`` (Horner): ``f(j)·B`` for a dealer's commitments."""
    x = scalaire_de_entier(j)
    valeur = engagements[-1]
    for c in reversed(engagements[:-1]):
        valeur = add(_fois(x, valeur), c)
    return valeur


def verifier_part(engagements: Sequence[bytes], j: int, part: bytes) -> bool:
    """Feldman's check: ``s_ij·B = Σ_k j^k·C_ik``."""
    return est_scalaire_canonique(part) and _fois_b(part) == evaluer_engagements(engagements, j)


def distribuer(contexte: Contexte, detenteur: int, alea: Alea) -> Distribution:
    """Dealer ``detenteur``'s message. Draws, in this order: ``a_i0 … a_i,t−1``, ``w`` of
    the proof of knowledge, then ``e`` of the share to holder 1, 2, …, n. The polynomial
    is not returned: the dealer's own share comes back to it encrypted like the others."""
    if not _est_indice(detenteur, contexte.nombre):
        raise ValueError(f"no holder {detenteur!r} in 1..{contexte.nombre}")
    coefficients = [alea.scalaire() for _ in range(contexte.seuil)]
    engagements = tuple(base(a) for a in coefficients)
    preuve = _prouver_connaissance(
        contexte, detenteur, engagements, coefficients[0], alea.scalaire()
    )
    parts = tuple(
        chiffrer_part(contexte, detenteur, j, evaluer_polynome(coefficients, j), alea)
        for j in range(1, contexte.nombre + 1)
    )
    return Distribution(detenteur=detenteur, engagements=engagements, preuve=preuve, parts=parts)


def verifier_distribution(contexte: Contexte, distribution: Distribution) -> bool:
    """Everything public about a dealer's message: its index, ``t`` commitments that are
    valid non-identity points, the proof of knowledge, and one well-formed encrypted share
    per holder in index order. A dealer that fails this is out, with no complaint needed."""
    d = distribution
    n = contexte.nombre
    if not _est_indice(d.detenteur, n):
        return False
    if not isinstance(d.engagements, tuple) or len(d.engagements) != contexte.seuil:
        return False
    if not all(isinstance(c, bytes) and est_point(c) for c in d.engagements):
        return False
    if not isinstance(d.preuve, PreuveConnaissance):
        return False
    if not verifier_preuve_connaissance(contexte, d.detenteur, d.engagements, d.preuve):
        return False
    if not isinstance(d.parts, tuple) or len(d.parts) != n:
        return False
    return all(
        isinstance(p, PartChiffree)
        and p.emetteur == d.detenteur
        and p.destinataire == j
        and isinstance(p.ephemere, bytes)
        and est_point(p.ephemere)
        and isinstance(p.chiffre, bytes)
        and len(p.chiffre) == TAILLE_PART_CHIFFREE
        for j, p in enumerate(d.parts, start=1)
    )


# --- Complaints --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plainte:
    """Holder ``plaignant`` says the share of dealer ``accuse`` is bad, and reveals the
    Diffie-Hellman secret ``K = z_j·E`` of that share, with the proof that
    ``log_B(Z_j) = log_E(K)``: anybody can then open the share and judge."""

    plaignant: int
    accuse: int
    secret: bytes
    preuve: PreuveEgalite

    def vers_dict(self) -> dict[str, Any]:
        return {
            "plaignant": self.plaignant,
            "accuse": self.accuse,
            "secret": self.secret.hex(),
            "preuve": self.preuve.vers_dict(),
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "plainte") -> Self:
        o = _objet(d, {"plaignant", "accuse", "secret", "preuve"}, ou)
        return cls(
            plaignant=_entier(o["plaignant"], f"{ou}.plaignant"),
            accuse=_entier(o["accuse"], f"{ou}.accuse"),
            secret=_octets(o["secret"], 32, f"{ou}.secret"),
            preuve=PreuveEgalite.depuis_dict(o["preuve"], f"{ou}.preuve"),
        )


def _prefixe_plainte(contexte: Contexte, part: PartChiffree, secret: bytes) -> list[bytes | int]:
    """``H_ctx, i, j, Z_j, E, chiffré, K``: the complaint's challenge hashes the whole
    encrypted share it opens."""
    return [
        contexte.empreinte,
        part.emetteur,
        part.destinataire,
        contexte.cle_communication(part.destinataire),
        part.ephemere,
        part.chiffre,
        secret,
    ]


def porter_plainte(contexte: Contexte, part: PartChiffree, z: bytes, alea: Alea) -> Plainte:
    """The complaint of ``part``'s recipient (private key ``z``) against its dealer: one
    draw (``w``)."""
    secret = _secret_partage(contexte, part, z)
    preuve = _prouver_egalite(
        ETIQUETTE_PLAINTE,
        _prefixe_plainte(contexte, part, secret),
        z,
        part.ephemere,
        alea.scalaire(),
    )
    return Plainte(plaignant=part.destinataire, accuse=part.emetteur, secret=secret, preuve=preuve)


def plainte_fondee(contexte: Contexte, distribution: Distribution, plainte: Plainte) -> bool:
    """Whether ``plainte`` proves dealer ``distribution.detenteur`` dealt a bad share:
    the proof on ``K`` holds and the share then fails to open, or fails Feldman's check.
    A complaint with a false proof, or against a good share, is unfounded (False).

    ``distribution`` must have passed :func:`verifier_distribution` (ValueError
    otherwise: its dealer is out already)."""
    if not verifier_distribution(contexte, distribution):
        raise ValueError("the accused distribution is publicly invalid already")
    n = contexte.nombre
    if plainte.accuse != distribution.detenteur or not _est_indice(plainte.plaignant, n):
        return False
    if not isinstance(plainte.secret, bytes) or not est_point(plainte.secret):
        return False
    part = distribution.parts[plainte.plaignant - 1]
    if not _verifier_egalite(
        ETIQUETTE_PLAINTE,
        _prefixe_plainte(contexte, part, plainte.secret),
        contexte.cle_communication(plainte.plaignant),
        part.ephemere,
        plainte.secret,
        plainte.preuve,
    ):
        return False
    try:
        valeur = ouvrir_part(contexte, part, plainte.secret)
    except PartIndechiffrable:
        return True
    return not verifier_part(distribution.engagements, plainte.plaignant, valeur)


# --- Reception, qualified set, key -------------------------------------------------------


@dataclass(frozen=True)
class Reception:
    """What holder ``detenteur`` got from the dealing (secret: never published whole).

    ``parts``: the good shares, by dealer; ``plaintes``: to publish; ``rejetees``: dealers
    whose message fails the public checks (everybody sees it, no complaint needed)."""

    detenteur: int
    parts: Mapping[int, bytes]
    plaintes: tuple[Plainte, ...]
    rejetees: tuple[int, ...]


def _par_detenteur(distributions: Iterable[Distribution]) -> dict[int, Distribution]:
    par: dict[int, Distribution] = {}
    for d in distributions:
        if d.detenteur in par:
            raise CeremonieInvalide(f"two distributions from holder {d.detenteur}")
        par[d.detenteur] = d
    return dict(sorted(par.items()))


def recevoir(
    contexte: Contexte,
    detenteur: int,
    z: bytes,
    distributions: Iterable[Distribution],
    alea: Alea,
) -> Reception:
    """Holder ``detenteur`` (communication private key ``z``) reads every dealer's message:
    public checks, then its own share opened and checked against the commitments. A share
    that does not open or fails the check gives a complaint naming the dealer (one draw per
    complaint, dealers in index order)."""
    if not _est_indice(detenteur, contexte.nombre):
        raise ValueError(f"no holder {detenteur!r} in 1..{contexte.nombre}")
    if _fois_b(z) != contexte.cle_communication(detenteur):
        raise ValueError(f"z is not the communication key of holder {detenteur}")
    parts: dict[int, bytes] = {}
    plaintes: list[Plainte] = []
    rejetees: list[int] = []
    for i, d in _par_detenteur(distributions).items():
        if not verifier_distribution(contexte, d):
            rejetees.append(i)
            continue
        part = d.parts[detenteur - 1]
        try:
            valeur = dechiffrer_part(contexte, part, z)
            bonne = verifier_part(d.engagements, detenteur, valeur)
        except PartIndechiffrable:
            bonne = False
        if bonne:
            parts[i] = valeur
        else:
            plaintes.append(porter_plainte(contexte, part, z, alea))
    return Reception(
        detenteur=detenteur, parts=parts, plaintes=tuple(plaintes), rejetees=tuple(rejetees)
    )


def qualifies(
    contexte: Contexte, distributions: Iterable[Distribution], plaintes: Iterable[Plainte]
) -> tuple[int, ...]:
    """The qualified dealers, in index order: a publicly valid message and no founded
    complaint. Unfounded complaints are ignored; the same complaint twice, or two messages
    from one dealer, make the transcript invalid (:class:`CeremonieInvalide`)."""
    par = _par_detenteur(distributions)
    valides = {i: d for i, d in par.items() if verifier_distribution(contexte, d)}
    vues: set[tuple[int, int]] = set()
    exclus: set[int] = set()
    for p in plaintes:
        if (p.plaignant, p.accuse) in vues:
            raise CeremonieInvalide(f"two complaints of holder {p.plaignant} against {p.accuse}")
        vues.add((p.plaignant, p.accuse))
        d = valides.get(p.accuse)
        if d is not None and plainte_fondee(contexte, d, p):
            exclus.add(p.accuse)
    return tuple(i for i in valides if i not in exclus)


@dataclass(frozen=True)
class CleSeuil:
    """The public outcome of the ceremony: the context and the commitments of the
    qualified dealers (index order). The election key ``Y``, each holder's verification
    key ``Y_j`` and the key's fingerprint ``F`` follow from them."""

    contexte: Contexte
    engagements: tuple[tuple[int, tuple[bytes, ...]], ...]

    def __post_init__(self) -> None:
        indices = [i for i, _ in self.engagements]
        if indices != sorted(set(indices)) or not all(
            _est_indice(i, self.contexte.nombre) for i in indices
        ):
            raise FormatInvalide("qualified dealers must be distinct holders, in index order")
        for i, c in self.engagements:
            if len(c) != self.contexte.seuil or not all(
                isinstance(p, bytes) and est_point(p) for p in c
            ):
                raise FormatInvalide(f"dealer {i}: t commitments, valid non-identity points")
        if len(indices) < self.contexte.seuil:
            raise CeremonieInvalide(
                f"{len(indices)} qualified dealers, fewer than the threshold {self.contexte.seuil}"
            )
        if est_neutre(self.cle_publique):
            raise CeremonieInvalide("the election key is the identity")

    @property
    def qualifies(self) -> tuple[int, ...]:
        return tuple(i for i, _ in self.engagements)

    @cached_property
    def cle_publique(self) -> bytes:
        """``Y = Σ_{i∈Q} C_i0``."""
        y = NEUTRE
        for _, c in self.engagements:
            y = add(y, c[0])
        return y

    @cached_property
    def empreinte(self) -> bytes:
        """``F = BLAKE2b-256(enc("isoloir/v1/seuil/cle") ‖ enc(H_ctx) ‖ enc(|Q|) ‖ enc(i₁) ‖
        enc(C_i₁0) ‖ … ‖ enc(C_i₁,t−1) ‖ enc(i₂) ‖ … ‖ enc(Y))``."""
        parties: list[bytes | int] = [self.contexte.empreinte, len(self.engagements)]
        for i, c in self.engagements:
            parties += [i, *c]
        parties.append(self.cle_publique)
        return _blake2b(message_hache(ETIQUETTE_CLE, *parties), 32)

    def cle_de_verification(self, j: int) -> bytes:
        """``Y_j = Σ_{i∈Q} Σ_k j^k·C_ik = x_j·B``, from public data only."""
        if not _est_indice(j, self.contexte.nombre):
            raise ValueError(f"no holder {j!r} in 1..{self.contexte.nombre}")
        y = NEUTRE
        for _, c in self.engagements:
            y = add(y, evaluer_engagements(c, j))
        return y

    def vers_dict(self) -> dict[str, Any]:
        return {
            "contexte": self.contexte.vers_dict(),
            "qualifies": [
                {"detenteur": i, "engagements": [p.hex() for p in c]} for i, c in self.engagements
            ],
            "cle_publique": self.cle_publique.hex(),
        }

    @classmethod
    def depuis_dict(cls, d: object) -> Self:
        o = _objet(d, {"contexte", "qualifies", "cle_publique"}, "cle")
        engagements = []
        for k, q in enumerate(_liste(o["qualifies"], "cle.qualifies")):
            ou = f"cle.qualifies[{k}]"
            oq = _objet(q, {"detenteur", "engagements"}, ou)
            engagements.append(
                (
                    _entier(oq["detenteur"], f"{ou}.detenteur"),
                    tuple(
                        _octets(c, 32, f"{ou}.engagements[{m}]")
                        for m, c in enumerate(_liste(oq["engagements"], f"{ou}.engagements"))
                    ),
                )
            )
        cle = cls(contexte=Contexte.depuis_dict(o["contexte"]), engagements=tuple(engagements))
        if _octets(o["cle_publique"], 32, "cle.cle_publique") != cle.cle_publique:
            raise FormatInvalide("cle_publique is not the sum of the qualified C_i0")
        return cle


def etablir_cle(
    contexte: Contexte, distributions: Iterable[Distribution], plaintes: Iterable[Plainte]
) -> CleSeuil:
    """The threshold key from the public messages of the ceremony (anyone can run it).
    :class:`CeremonieInvalide` with fewer than ``t`` qualified dealers."""
    par = _par_detenteur(distributions)
    q = qualifies(contexte, par.values(), plaintes)
    return CleSeuil(contexte=contexte, engagements=tuple((i, par[i].engagements) for i in q))


def cle_de_detenteur(cle: CleSeuil, reception: Reception) -> bytes:
    """``x_j = Σ_{i∈Q} s_ij``, checked against ``Y_j``. :class:`CeremonieInvalide` if a
    qualified dealer's share is missing (the holder's complaint was not taken into
    account)."""
    x = _ZERO
    for i in cle.qualifies:
        part = reception.parts.get(i)
        if part is None:
            raise CeremonieInvalide(
                f"holder {reception.detenteur} has no valid share from qualified dealer {i}"
            )
        x = scalaire_add(x, part)
    if _fois_b(x) != cle.cle_de_verification(reception.detenteur):
        raise CeremonieInvalide("the share does not match the holder's verification key")
    return x


# --- Threshold decryption ----------------------------------------------------------------


@dataclass(frozen=True)
class PartDechiffrement:
    """Holder ``detenteur``'s partial decryption of a list of ciphertexts (a scrutin's
    tally, one per choice): ``D_j = x_j·α`` and its proof for each. Where ``α`` is the
    identity, ``D_j`` is the identity and there is no proof (``None``)."""

    detenteur: int
    facteurs: tuple[bytes, ...]
    preuves: tuple[PreuveEgalite | None, ...]

    def vers_dict(self) -> dict[str, Any]:
        return {
            "detenteur": self.detenteur,
            "facteurs": [
                {"facteur": f.hex(), "preuve": None if p is None else p.vers_dict()}
                for f, p in zip(self.facteurs, self.preuves, strict=True)
            ],
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "part_dechiffrement") -> Self:
        o = _objet(d, {"detenteur", "facteurs"}, ou)
        facteurs, preuves = [], []
        for k, f in enumerate(_liste(o["facteurs"], f"{ou}.facteurs")):
            of = _objet(f, {"facteur", "preuve"}, f"{ou}.facteurs[{k}]")
            facteurs.append(_octets(of["facteur"], 32, f"{ou}.facteurs[{k}].facteur"))
            preuves.append(
                None
                if of["preuve"] is None
                else PreuveEgalite.depuis_dict(of["preuve"], f"{ou}.facteurs[{k}].preuve")
            )
        return cls(
            detenteur=_entier(o["detenteur"], f"{ou}.detenteur"),
            facteurs=tuple(facteurs),
            preuves=tuple(preuves),
        )


def _prefixe_dechiffrement(
    cle: CleSeuil, j: int, y_j: bytes, chiffre: Chiffre, facteur: bytes
) -> list[bytes | int]:
    """``F, j, Y_j, α, β, D_j``."""
    return [cle.empreinte, j, y_j, chiffre.alpha, chiffre.beta, facteur]


def _verifier_chiffres(chiffres: Sequence[Chiffre]) -> None:
    if not chiffres:
        raise ValueError("no ciphertext to decrypt")
    for k, c in enumerate(chiffres):
        if not (_est_point_ou_neutre(c.alpha) and _est_point_ou_neutre(c.beta)):
            raise ValueError(f"ciphertext {k}: α and β must be valid encodings")


def dechiffrer_partiellement(
    cle: CleSeuil, detenteur: int, x: bytes, chiffres: Sequence[Chiffre], alea: Alea
) -> PartDechiffrement:
    """Holder ``detenteur``'s partial decryption with its share ``x``: one draw (``w``)
    per ciphertext whose ``α`` is not the identity, in order."""
    y_j = cle.cle_de_verification(detenteur)
    if not est_scalaire_canonique(x) or _fois_b(x) != y_j:
        raise ValueError(f"x is not the key share of holder {detenteur}")
    _verifier_chiffres(chiffres)
    facteurs: list[bytes] = []
    preuves: list[PreuveEgalite | None] = []
    for chiffre in chiffres:
        if est_neutre(chiffre.alpha):
            facteurs.append(NEUTRE)
            preuves.append(None)
            continue
        facteur = mul(x, chiffre.alpha)
        facteurs.append(facteur)
        preuves.append(
            _prouver_egalite(
                ETIQUETTE_DECHIFFREMENT,
                _prefixe_dechiffrement(cle, detenteur, y_j, chiffre, facteur),
                x,
                chiffre.alpha,
                alea.scalaire(),
            )
        )
    return PartDechiffrement(detenteur=detenteur, facteurs=tuple(facteurs), preuves=tuple(preuves))


def verifier_part_dechiffrement(
    cle: CleSeuil, chiffres: Sequence[Chiffre], part: PartDechiffrement
) -> bool:
    """One factor per ciphertext, each with a proof that ``log_B(Y_j) = log_α(D_j)``
    (public data only)."""
    j = part.detenteur
    if not _est_indice(j, cle.contexte.nombre):
        return False
    if not (len(part.facteurs) == len(part.preuves) == len(chiffres)) or not chiffres:
        return False
    try:
        _verifier_chiffres(chiffres)
    except ValueError:
        return False
    y_j = cle.cle_de_verification(j)
    if est_neutre(y_j):
        return False
    for chiffre, facteur, preuve in zip(chiffres, part.facteurs, part.preuves, strict=True):
        if est_neutre(chiffre.alpha):
            if facteur != NEUTRE or preuve is not None:
                return False
            continue
        if preuve is None or not isinstance(facteur, bytes) or not est_point(facteur):
            return False
        if not _verifier_egalite(
            ETIQUETTE_DECHIFFREMENT,
            _prefixe_dechiffrement(cle, j, y_j, chiffre, facteur),
            y_j,
            chiffre.alpha,
            facteur,
            preuve,
        ):
            return False
    return True


def coefficient_lagrange(indices: Sequence[int], j: int) -> bytes:
    """``λ_j = Π_{m∈S, m≠j} m / (m − j)`` modulo ℓ, with libsodium's scalar operations
    (``scalar_invert`` for the division)."""
    if len(set(indices)) != len(indices) or not all(
        type(m) is int and 1 <= m <= MAX_DETENTEURS for m in indices
    ):
        raise ValueError("indices must be distinct holder indices")
    if j not in indices:
        raise ValueError(f"{j!r} is not among the indices")
    xj = scalaire_de_entier(j)
    numerateur = denominateur = scalaire_de_entier(1)
    for m in indices:
        if m != j:
            xm = scalaire_de_entier(m)
            numerateur = scalaire_mul(numerateur, xm)
            denominateur = scalaire_mul(denominateur, scalaire_sub(xm, xj))
    return scalaire_mul(numerateur, _inverse(denominateur))


def combiner_facteurs(chiffre: Chiffre, facteurs: Mapping[int, bytes]) -> bytes:
    """``M = β − Σ_{j∈S} λ_j·D_j``, with no check of how many factors there are or
    whether they are honest: :func:`combiner` is the checked entry point."""
    indices = sorted(facteurs)
    total = NEUTRE
    for j in indices:
        total = add(total, _fois(coefficient_lagrange(indices, j), facteurs[j]))
    return sub(chiffre.beta, total)


def _parts_recevables(
    cle: CleSeuil, chiffres: Sequence[Chiffre], parts: Sequence[PartDechiffrement]
) -> None:
    indices = [p.detenteur for p in parts]
    doublons = sorted({j for j in indices if indices.count(j) > 1})
    if doublons:
        raise DechiffrementRefuse(f"duplicate partial decryptions from holders {doublons}")
    if len(parts) < cle.contexte.seuil:
        raise DechiffrementRefuse(
            f"{len(parts)} partial decryptions, the threshold is {cle.contexte.seuil}"
        )
    for p in parts:
        if not verifier_part_dechiffrement(cle, chiffres, p):
            raise DechiffrementRefuse(f"the partial decryption of holder {p.detenteur} is invalid")


def combiner(
    cle: CleSeuil,
    chiffres: Sequence[Chiffre],
    parts: Sequence[PartDechiffrement],
    maximum: int,
) -> tuple[int, ...]:
    """The counts the ciphertexts hold, from at least ``t`` partial decryptions, all of
    them with valid proofs and distinct holders (:class:`DechiffrementRefuse` otherwise),
    each count searched in ``[0, maximum]``."""
    _parts_recevables(cle, chiffres, parts)
    decomptes = []
    for k, chiffre in enumerate(chiffres):
        m = combiner_facteurs(chiffre, {p.detenteur: p.facteurs[k] for p in parts})
        try:
            decomptes.append(logarithme_discret(m, maximum))
        except ValueError as erreur:
            raise DechiffrementRefuse(f"ciphertext {k}: count not in [0, {maximum}]") from erreur
    return tuple(decomptes)


# --- Public transcript -------------------------------------------------------------------


def _chiffre_vers_dict(c: Chiffre) -> dict[str, str]:
    return {"alpha": c.alpha.hex(), "beta": c.beta.hex()}


def _chiffre_depuis_dict(d: object, ou: str) -> Chiffre:
    o = _objet(d, {"alpha", "beta"}, ou)
    return Chiffre(
        alpha=_octets(o["alpha"], 32, f"{ou}.alpha"), beta=_octets(o["beta"], 32, f"{ou}.beta")
    )


@dataclass(frozen=True)
class Depouillement:
    """One tally: the ciphertext sums (one per choice), the partial decryptions used, the
    claimed counts."""

    chiffres: tuple[Chiffre, ...]
    parts: tuple[PartDechiffrement, ...]
    decomptes: tuple[int, ...]

    def vers_dict(self) -> dict[str, Any]:
        return {
            "chiffres": [_chiffre_vers_dict(c) for c in self.chiffres],
            "parts": [p.vers_dict() for p in self.parts],
            "decomptes": list(self.decomptes),
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "depouillement") -> Self:
        o = _objet(d, {"chiffres", "parts", "decomptes"}, ou)
        return cls(
            chiffres=tuple(
                _chiffre_depuis_dict(c, f"{ou}.chiffres[{k}]")
                for k, c in enumerate(_liste(o["chiffres"], f"{ou}.chiffres"))
            ),
            parts=tuple(
                PartDechiffrement.depuis_dict(p, f"{ou}.parts[{k}]")
                for k, p in enumerate(_liste(o["parts"], f"{ou}.parts"))
            ),
            decomptes=tuple(
                _entier(n, f"{ou}.decomptes[{k}]", maximum=None)
                for k, n in enumerate(_liste(o["decomptes"], f"{ou}.decomptes"))
            ),
        )


@dataclass(frozen=True)
class Transcription:
    """Everything public about a bureau's key and its tallies: the ceremony's messages,
    the complaints, the claimed qualified set and key, the tallies."""

    contexte: Contexte
    distributions: tuple[Distribution, ...]
    plaintes: tuple[Plainte, ...]
    qualifies: tuple[int, ...]
    cle_publique: bytes
    depouillements: tuple[Depouillement, ...]

    def vers_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "contexte": self.contexte.vers_dict(),
            "distributions": [d.vers_dict() for d in self.distributions],
            "plaintes": [p.vers_dict() for p in self.plaintes],
            "qualifies": list(self.qualifies),
            "cle_publique": self.cle_publique.hex(),
            "depouillements": [d.vers_dict() for d in self.depouillements],
        }

    @classmethod
    def depuis_dict(cls, d: object) -> Self:
        cles = {
            "version",
            "contexte",
            "distributions",
            "plaintes",
            "qualifies",
            "cle_publique",
            "depouillements",
        }
        o = _objet(d, cles, "transcription")
        if type(o["version"]) is not int or o["version"] != VERSION:
            raise FormatInvalide(f"transcription.version must be {VERSION}")
        return cls(
            contexte=Contexte.depuis_dict(o["contexte"]),
            distributions=tuple(
                Distribution.depuis_dict(x, f"distributions[{k}]")
                for k, x in enumerate(_liste(o["distributions"], "distributions"))
            ),
            plaintes=tuple(
                Plainte.depuis_dict(x, f"plaintes[{k}]")
                for k, x in enumerate(_liste(o["plaintes"], "plaintes"))
            ),
            qualifies=tuple(
                _entier(x, f"qualifies[{k}]")
                for k, x in enumerate(_liste(o["qualifies"], "qualifies"))
            ),
            cle_publique=_octets(o["cle_publique"], 32, "cle_publique"),
            depouillements=tuple(
                Depouillement.depuis_dict(x, f"depouillements[{k}]")
                for k, x in enumerate(_liste(o["depouillements"], "depouillements"))
            ),
        )


def verifier_depouillement(cle: CleSeuil, depouillement: Depouillement) -> None:
    """Checks a tally from public data: at least ``t`` distinct partial decryptions, every
    proof, and ``β − Σ λ_j·D_j = n·B`` for each claimed count ``n`` (no discrete
    logarithm to search). :class:`TranscriptionInvalide` otherwise."""
    d = depouillement
    if len(d.decomptes) != len(d.chiffres):
        raise TranscriptionInvalide("one claimed count per ciphertext")
    try:
        _parts_recevables(cle, d.chiffres, d.parts)
    except DechiffrementRefuse as erreur:
        raise TranscriptionInvalide(str(erreur)) from erreur
    for k, (chiffre, n) in enumerate(zip(d.chiffres, d.decomptes, strict=True)):
        if type(n) is not int or not 0 <= n < 2**63:
            raise TranscriptionInvalide(f"count {k} is not a non-negative integer")
        m = combiner_facteurs(chiffre, {p.detenteur: p.facteurs[k] for p in d.parts})
        if m != _fois_b(scalaire_de_entier(n)):
            raise TranscriptionInvalide(f"ciphertext {k} does not decrypt to the claimed {n}")


def verifier_transcription(transcription: Transcription) -> CleSeuil:
    """The whole public check (what ``isoloir verify`` runs): every dealer's message and
    complaint, the qualified set and key recomputed and compared to the claimed ones, then
    every tally. Returns the key; :class:`TranscriptionInvalide` says what fails."""
    t = transcription
    try:
        cle = etablir_cle(t.contexte, t.distributions, t.plaintes)
    except (CeremonieInvalide, FormatInvalide) as erreur:
        raise TranscriptionInvalide(f"key ceremony: {erreur}") from erreur
    if cle.qualifies != tuple(t.qualifies):
        raise TranscriptionInvalide(
            f"qualified set {list(t.qualifies)} claimed, {list(cle.qualifies)} recomputed"
        )
    if cle.cle_publique != t.cle_publique:
        raise TranscriptionInvalide("the claimed election key is not Σ C_i0 over the qualified")
    for k, d in enumerate(t.depouillements):
        try:
            verifier_depouillement(cle, d)
        except TranscriptionInvalide as erreur:
            raise TranscriptionInvalide(f"tally {k}: {erreur}") from erreur
    return cle


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
