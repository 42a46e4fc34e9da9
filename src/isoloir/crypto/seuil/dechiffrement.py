"""Threshold decryption: partial decryptions with their proofs, Lagrange combination."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Self

from isoloir.crypto.elgamal import Chiffre, logarithme_discret
from isoloir.crypto.groupe import (
    NEUTRE,
    Alea,
    add,
    est_neutre,
    est_point,
    est_scalaire_canonique,
    mul,
    scalaire_de_entier,
    scalaire_mul,
    scalaire_sub,
    sub,
)
from isoloir.crypto.seuil.ceremonie import CleSeuil
from isoloir.crypto.seuil.contexte import (
    ETIQUETTE_DECHIFFREMENT,
    MAX_DETENTEURS,
    DechiffrementRefuse,
    PreuveEgalite,
    _entier,
    _est_indice,
    _est_point_ou_neutre,
    _fois,
    _fois_b,
    _inverse,
    _liste,
    _objet,
    _octets,
    _prouver_egalite,
    _verifier_egalite,
)

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
