"""The proofs of a ballot (protocol § 5.1–5.3): each ciphertext holds 0 or 1, and their
sum holds 1.

The order of the draws and the hashed parts are part of the protocol: the booth
(JavaScript) and this module compute the same challenges, and
``tests/vecteurs/protocole-v1.json`` pins them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from isoloir.crypto.elgamal import Chiffre
from isoloir.crypto.groupe import (
    B,
    OperationImpossible,
    add,
    base,
    hacher_en_scalaire,
    mul,
    scalaire_add,
    scalaire_mul,
    scalaire_sub,
    sub,
)
from isoloir.crypto.manifeste import Manifeste

ETIQUETTE_PREUVE_01 = "isoloir/v1/preuve-01"
ETIQUETTE_PREUVE_SOMME = "isoloir/v1/preuve-somme"


@dataclass(frozen=True)
class PreuveChoix:
    """Disjunctive Chaum-Pedersen proof that one ciphertext holds 0 or 1 (§ 5.2)."""

    c0: bytes
    c1: bytes
    s0: bytes
    s1: bytes


@dataclass(frozen=True)
class PreuveSomme:
    """Chaum-Pedersen proof that the sum of the ballot's ciphertexts holds 1 (§ 5.3)."""

    c: bytes
    s: bytes


def enonce(chiffres: Sequence[Chiffre]) -> bytes:
    """``S = α₀ ‖ β₀ ‖ … ‖ α_{k−1} ‖ β_{k−1}``: every challenge hashes the whole ballot."""
    return b"".join(chiffre.alpha + chiffre.beta for chiffre in chiffres)


def defi_choix(
    manifeste: Manifeste,
    s: bytes,
    j: int,
    chiffre: Chiffre,
    engagements: tuple[bytes, bytes, bytes, bytes],
) -> bytes:
    """``Hs("isoloir/v1/preuve-01", E, σ, Y, S, j, αⱼ, βⱼ, A₀, C₀, A₁, C₁)``, with ``E``
    as its 32 raw bytes."""
    return hacher_en_scalaire(
        ETIQUETTE_PREUVE_01,
        manifeste.empreinte,
        manifeste.scrutin,
        manifeste.cle_publique,
        s,
        j,
        chiffre.alpha,
        chiffre.beta,
        *engagements,
    )


def defi_somme(manifeste: Manifeste, s: bytes, a: bytes, c: bytes) -> bytes:
    """``Hs("isoloir/v1/preuve-somme", E, σ, Y, S, A, C)``."""
    return hacher_en_scalaire(
        ETIQUETTE_PREUVE_SOMME,
        manifeste.empreinte,
        manifeste.scrutin,
        manifeste.cle_publique,
        s,
        a,
        c,
    )


def prouver_choix(
    manifeste: Manifeste,
    s: bytes,
    j: int,
    chiffre: Chiffre,
    m: int,
    r: bytes,
    tirages: tuple[bytes, bytes, bytes],
) -> PreuveChoix:
    """The 0/1 proof of ciphertext ``j`` holding ``m`` with randomness ``r``; ``tirages``
    is ``(w, c̄, s̄)`` in the order they were drawn."""
    if m not in (0, 1):
        raise ValueError("a 0/1 proof needs m in {0, 1}")
    w, c_barre, s_barre = tirages
    y = manifeste.cle_publique
    # Simulated branch m̄ = 1 − m: pick its challenge and response, solve for A and C.
    beta_simule = chiffre.beta if m == 1 else sub(chiffre.beta, B)
    a_simule = sub(base(s_barre), mul(c_barre, chiffre.alpha))
    c_simule = sub(mul(s_barre, y), mul(c_barre, beta_simule))
    # Real branch m: an honest commitment.
    a_reel, c_reel = base(w), mul(w, y)
    if m == 0:
        engagements = (a_reel, c_reel, a_simule, c_simule)
    else:
        engagements = (a_simule, c_simule, a_reel, c_reel)
    c = defi_choix(manifeste, s, j, chiffre, engagements)
    c_reel_defi = scalaire_sub(c, c_barre)
    s_reel = scalaire_add(w, scalaire_mul(c_reel_defi, r))
    if m == 0:
        return PreuveChoix(c0=c_reel_defi, c1=c_barre, s0=s_reel, s1=s_barre)
    return PreuveChoix(c0=c_barre, c1=c_reel_defi, s0=s_barre, s1=s_reel)


def verifier_preuve_choix(
    manifeste: Manifeste, s: bytes, j: int, chiffre: Chiffre, preuve: PreuveChoix
) -> bool:
    """§ 5.2's check. A zero scalar or an identity along the way makes libsodium refuse
    the multiplication: the proof is then refused, never accepted by a side path."""
    y = manifeste.cle_publique
    try:
        a0 = sub(base(preuve.s0), mul(preuve.c0, chiffre.alpha))
        c0 = sub(mul(preuve.s0, y), mul(preuve.c0, chiffre.beta))
        a1 = sub(base(preuve.s1), mul(preuve.c1, chiffre.alpha))
        c1 = sub(mul(preuve.s1, y), mul(preuve.c1, sub(chiffre.beta, B)))
    except OperationImpossible:
        return False
    attendu = defi_choix(manifeste, s, j, chiffre, (a0, c0, a1, c1))
    return scalaire_add(preuve.c0, preuve.c1) == attendu


def prouver_somme(manifeste: Manifeste, s: bytes, r_total: bytes, w: bytes) -> PreuveSomme:
    """The proof that ``Ā = R·B`` and ``β̄ − B = R·Y`` with ``R = Σ rⱼ`` (§ 5.3)."""
    a, c_engagement = base(w), mul(w, manifeste.cle_publique)
    c = defi_somme(manifeste, s, a, c_engagement)
    return PreuveSomme(c=c, s=scalaire_add(w, scalaire_mul(c, r_total)))


def verifier_preuve_somme(
    manifeste: Manifeste, s: bytes, chiffres: Sequence[Chiffre], preuve: PreuveSomme
) -> bool:
    try:
        alpha_total, beta_total = chiffres[0].alpha, chiffres[0].beta
        for chiffre in chiffres[1:]:
            alpha_total = add(alpha_total, chiffre.alpha)
            beta_total = add(beta_total, chiffre.beta)
        a = sub(base(preuve.s), mul(preuve.c, alpha_total))
        c = sub(mul(preuve.s, manifeste.cle_publique), mul(preuve.c, sub(beta_total, B)))
    except OperationImpossible:
        return False
    return defi_somme(manifeste, s, a, c) == preuve.c
