"""The group ristretto255, its scalars, the hash to a scalar and the random sources.

Protocol § 1 and § 2. Every group and scalar operation is one libsodium call through
pysodium: no field arithmetic is written here, only the checks libsodium leaves to its
caller (the identity where a point is required, a canonical scalar encoding).
"""

from typing import Protocol

import pysodium

# Group order ℓ = 2^252 + 27742317777372353535851937790883648493 (RFC 9496).
L: int = 2**252 + 27742317777372353535851937790883648493

TAILLE_POINT = 32
TAILLE_SCALAIRE = 32

# The identity's canonical encoding: libsodium decodes it as a valid point, the protocol
# never accepts it where a point is required.
NEUTRE: bytes = bytes(TAILLE_POINT)

ETIQUETTE_ALEA = "isoloir/v1/alea"


class OperationImpossible(ValueError):
    """libsodium refused an operation: a zero scalar, an identity result, a bad point."""


def scalaire_de_entier(n: int) -> bytes:
    """The 32-byte little-endian encoding of ``n``, which must be in [0, ℓ)."""
    if not 0 <= n < L:
        raise ValueError("integer out of the scalar range [0, ℓ)")
    return n.to_bytes(TAILLE_SCALAIRE, "little")


def est_scalaire_canonique(s: bytes) -> bool:
    """32 bytes encoding an integer strictly below ℓ: one scalar, one writing."""
    return len(s) == TAILLE_SCALAIRE and int.from_bytes(s, "little") < L


def est_neutre(p: bytes) -> bool:
    return p == NEUTRE


def est_encodage_canonique(p: bytes) -> bool:
    """A canonical ristretto255 encoding, the identity included (protocol § 1).

    The top bit (bit 255) is checked here, not left to libsodium: RFC 9496 refuses an
    encoding with it set, and so does libsodium 1.0.22 (the booth's), but Debian's 1.0.18
    masks it and decodes the point anyway. Left to the installed library, the server and
    ``isoloir verify`` would accept ballots and ceremony messages that every other verifier
    refuses, and a dishonest participant could show two views of one message."""
    return (
        len(p) == TAILLE_POINT
        and p[31] & 0x80 == 0
        and bool(pysodium.crypto_core_ristretto255_is_valid_point(p))
    )


def est_point(p: bytes) -> bool:
    """A canonical ristretto255 encoding other than the identity (protocol § 1)."""
    return not est_neutre(p) and est_encodage_canonique(p)


def base(s: bytes) -> bytes:
    """``s·B``. Raises :class:`OperationImpossible` for a zero scalar (identity result)."""
    try:
        return bytes(pysodium.crypto_scalarmult_ristretto255_base(s))
    except ValueError as erreur:
        raise OperationImpossible("scalar multiplication of B gives the identity") from erreur


def mul(s: bytes, p: bytes) -> bytes:
    """``s·P``. libsodium refuses an invalid point, and any identity result (a zero
    scalar, or ``P`` itself the identity): :class:`OperationImpossible`."""
    try:
        return bytes(pysodium.crypto_scalarmult_ristretto255(s, p))
    except ValueError as erreur:
        raise OperationImpossible("scalar multiplication refused by libsodium") from erreur


def add(p: bytes, q: bytes) -> bytes:
    """``P + Q`` (the identity may come out, and may go in)."""
    try:
        return bytes(pysodium.crypto_core_ristretto255_add(p, q))
    except ValueError as erreur:
        raise OperationImpossible("point addition refused by libsodium") from erreur


def sub(p: bytes, q: bytes) -> bytes:
    """``P − Q`` (the identity may come out, and may go in)."""
    try:
        return bytes(pysodium.crypto_core_ristretto255_sub(p, q))
    except ValueError as erreur:
        raise OperationImpossible("point subtraction refused by libsodium") from erreur


# The generator, as libsodium encodes it (1·B).
B: bytes = base(scalaire_de_entier(1))


def scalaire_add(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_add(a, b))


def scalaire_sub(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_sub(a, b))


def scalaire_mul(a: bytes, b: bytes) -> bytes:
    return bytes(pysodium.crypto_core_ristretto255_scalar_mul(a, b))


def scalaire_reduire(octets: bytes) -> bytes:
    """64 bytes reduced modulo ℓ (libsodium's ``scalar_reduce``)."""
    if len(octets) != 64:
        raise ValueError("scalar_reduce takes exactly 64 bytes")
    return bytes(pysodium.crypto_core_ristretto255_scalar_reduce(octets))


def encoder_partie(partie: bytes | str | int) -> bytes:
    """The bytes of one hashed part before its length prefix: strings in UTF-8, integers
    on 4 bytes big-endian (protocol § 2)."""
    # bool is an int in Python: refused so that True never hashes as 1 by accident.
    if isinstance(partie, bool):
        raise TypeError("a hashed part cannot be a bool")
    if isinstance(partie, int):
        if not 0 <= partie < 2**32:
            raise ValueError("a hashed integer must fit in 4 bytes unsigned")
        return partie.to_bytes(4, "big")
    if isinstance(partie, str):
        return partie.encode("utf-8")
    if isinstance(partie, bytes | bytearray | memoryview):
        return bytes(partie)
    raise TypeError(f"cannot hash a {type(partie).__name__}")


def enc(partie: bytes | str | int) -> bytes:
    """``enc(x)``: the length of x's bytes on 4 bytes big-endian, then those bytes."""
    octets = encoder_partie(partie)
    if len(octets) >= 2**32:
        raise ValueError("a hashed part must be shorter than 2^32 bytes")
    return len(octets).to_bytes(4, "big") + octets


def message_hache(etiquette: str, *parties: bytes | str | int) -> bytes:
    """What BLAKE2b reads for ``Hs``: ``enc(étiquette) ‖ enc(x₁) ‖ … ‖ enc(xₙ)``."""
    return enc(etiquette) + b"".join(enc(partie) for partie in parties)


def hacher_en_scalaire(etiquette: str, *parties: bytes | str | int) -> bytes:
    """``Hs(étiquette, x₁, …, xₙ)`` = scalar_reduce(BLAKE2b-512(message)), unkeyed."""
    condensat = pysodium.crypto_generichash(message_hache(etiquette, *parties), outlen=64)
    return scalaire_reduire(bytes(condensat))


def blake2b_256(octets: bytes) -> bytes:
    """BLAKE2b with a 32-byte output (not a truncated BLAKE2b-512: the length is a
    parameter of the hash), unkeyed."""
    return bytes(pysodium.crypto_generichash(octets, outlen=32))


class Alea(Protocol):
    """A source of scalars. The order of the draws is part of the protocol (§ 5)."""

    def scalaire(self) -> bytes: ...


class AleaSysteme:
    """Scalars from the system's CSPRNG, through libsodium: the only source in service."""

    def scalaire(self) -> bytes:
        return bytes(pysodium.crypto_core_ristretto255_scalar_random())


class AleaDeterministe:
    """Test vectors only: the k-th scalar drawn is ``Hs("isoloir/v1/alea", graine, k)``."""

    def __init__(self, graine: bytes) -> None:
        self.graine = bytes(graine)
        self.tirages = 0

    def scalaire(self) -> bytes:
        s = hacher_en_scalaire(ETIQUETTE_ALEA, self.graine, self.tirages)
        self.tirages += 1
        return s
