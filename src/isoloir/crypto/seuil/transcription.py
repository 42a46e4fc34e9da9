"""The public transcript of a bureau's key and tallies, and its verification."""

from dataclasses import dataclass
from typing import Any, Self

from isoloir.crypto.elgamal import Chiffre
from isoloir.crypto.groupe import (
    scalaire_de_entier,
)
from isoloir.crypto.seuil.ceremonie import CleSeuil, Distribution, etablir_cle
from isoloir.crypto.seuil.contexte import (
    VERSION,
    CeremonieInvalide,
    Contexte,
    DechiffrementRefuse,
    FormatInvalide,
    TranscriptionInvalide,
    _entier,
    _fois_b,
    _liste,
    _objet,
    _octets,
)
from isoloir.crypto.seuil.dechiffrement import (
    PartDechiffrement,
    _parts_recevables,
    combiner_facteurs,
)
from isoloir.crypto.seuil.parts import Plainte

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
