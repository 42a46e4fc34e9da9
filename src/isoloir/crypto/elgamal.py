"""Exponential ElGamal over ristretto255: encryption, homomorphic sum, decryption.

Protocol § 5.1 and § 6. A ciphertext of ``m`` under ``Y`` with randomness ``r`` is
``(r·B, m·B + r·Y)``; adding ciphertexts adds the plaintexts, and the tally decrypts
``M = β − x·α`` then finds the small ``n`` with ``n·B = M``.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from isoloir.crypto.groupe import NEUTRE, B, add, base, est_neutre, mul, scalaire_de_entier, sub


@dataclass(frozen=True)
class Chiffre:
    alpha: bytes
    beta: bytes


def _fois_b(n: int) -> bytes:
    # libsodium refuses to multiply to the identity: 0·B is written out instead.
    return NEUTRE if n == 0 else base(scalaire_de_entier(n))


def chiffrer(cle_publique: bytes, m: int, r: bytes) -> Chiffre:
    """``(r·B, m·B + r·Y)``; ``m`` is an integer in [0, ℓ), ``r`` a non-zero scalar."""
    alpha = base(r)
    masque = mul(r, cle_publique)
    return Chiffre(alpha=alpha, beta=masque if m == 0 else add(_fois_b(m), masque))


def additionner(a: Chiffre, b: Chiffre) -> Chiffre:
    return Chiffre(alpha=add(a.alpha, b.alpha), beta=add(a.beta, b.beta))


# The sum of no ballot, for a scrutin nobody voted in: the trivial encryption of 0. No
# ballot may hold it (a ciphertext's α is never the identity), but the threshold
# decryption takes it (its factor is the identity, with no proof) and the count gives 0.
SOMME_DE_RIEN = Chiffre(alpha=NEUTRE, beta=NEUTRE)


def somme_des_choix(chiffres: Iterable[Chiffre]) -> Chiffre:
    """The sum of one choice's ciphertexts over the urne; :data:`SOMME_DE_RIEN` for an
    empty urne."""
    liste = list(chiffres)
    return somme(liste) if liste else SOMME_DE_RIEN


def somme(chiffres: Iterable[Chiffre]) -> Chiffre:
    """The component-wise sum. An empty input has no ciphertext to stand for it (the
    identity pair is no ciphertext the protocol accepts): ValueError."""
    total: Chiffre | None = None
    for chiffre in chiffres:
        total = chiffre if total is None else additionner(total, chiffre)
    if total is None:
        raise ValueError("cannot sum an empty list of ciphertexts")
    return total


def logarithme_discret(point: bytes, maximum: int) -> int:
    """The smallest ``n`` in [0, maximum] with ``n·B = point``, by baby-step giant-step
    (about 2·√maximum additions). ValueError if there is none.

    In a group of prime order ℓ > maximum, at most one such ``n`` exists, so the first
    found is the smallest."""
    if maximum < 0:
        raise ValueError("maximum must be non-negative")
    pas = math.isqrt(maximum) + 1  # pas² > maximum: every n ≤ maximum is i·pas + j
    bebes: dict[bytes, int] = {}
    courant = NEUTRE
    for j in range(pas):
        bebes.setdefault(courant, j)
        courant = add(courant, B)
    geant = _fois_b(pas)
    cherche = point
    for i in range(pas + 1):
        reste = bebes.get(cherche)
        if reste is not None:
            n = i * pas + reste
            if n <= maximum:
                return n
            break
        cherche = sub(cherche, geant)
    raise ValueError(f"plaintext not found in [0, {maximum}]")


def dechiffrer(cle_privee: bytes, chiffre: Chiffre, maximum: int) -> int:
    """The count ``n`` in [0, maximum] that ``chiffre`` holds (protocol § 6)."""
    # A sum of α may be the identity (Σ r ≡ 0, however unlikely): x·α is then the identity,
    # which libsodium refuses to compute. The tally must not fail on it.
    masque = NEUTRE if est_neutre(chiffre.alpha) else mul(cle_privee, chiffre.alpha)
    return logarithme_discret(sub(chiffre.beta, masque), maximum)
