"""The key ceremony: dealing, public checks, complaints judged, reception, qualified set
and key."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

from isoloir.crypto.groupe import (
    NEUTRE,
    Alea,
    add,
    base,
    est_neutre,
    est_point,
    est_scalaire_canonique,
    message_hache,
    scalaire_add,
    scalaire_de_entier,
    scalaire_mul,
)
from isoloir.crypto.seuil.contexte import (
    _ZERO,
    ETIQUETTE_CLE,
    ETIQUETTE_PLAINTE,
    TAILLE_PART_CHIFFREE,
    CeremonieInvalide,
    Contexte,
    FormatInvalide,
    PartIndechiffrable,
    PreuveConnaissance,
    _blake2b,
    _entier,
    _est_indice,
    _fois,
    _fois_b,
    _liste,
    _objet,
    _octets,
    _prouver_connaissance,
    _verifier_egalite,
    verifier_preuve_connaissance,
)
from isoloir.crypto.seuil.parts import (
    PartChiffree,
    Plainte,
    _prefixe_plainte,
    chiffrer_part,
    dechiffrer_part,
    ouvrir_part,
    porter_plainte,
)

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
