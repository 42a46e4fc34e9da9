"""The encrypted ballot, its strict reading and its tracker (protocol § 5).

The manifest (§ 4) is in :mod:`.manifeste` and the proofs (§ 5.1–5.3) in :mod:`.preuves`;
their names are re-exported here, where most callers import them from.

The booth (JavaScript) and this module write the same bytes from the same draws: the
order of the draws, the hashed parts and the canonical JSON are all part of the protocol,
and ``tests/vecteurs/protocole-v1.json`` pins them.
"""

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from isoloir.crypto.elgamal import Chiffre, chiffrer
from isoloir.crypto.groupe import Alea, est_point, est_scalaire_canonique, scalaire_add
from isoloir.crypto.manifeste import (
    HEX,
    ORIGINES_CLE,
    VERSION,
    VOTE_BLANC,
    Manifeste,
    ManifesteInvalide,
    json_canonique,
    lire_json,
    lire_manifeste,
    manifeste,
)
from isoloir.crypto.preuves import (
    ETIQUETTE_PREUVE_01,
    ETIQUETTE_PREUVE_SOMME,
    PreuveChoix,
    PreuveSomme,
    defi_choix,
    defi_somme,
    enonce,
    prouver_choix,
    prouver_somme,
    verifier_preuve_choix,
    verifier_preuve_somme,
)

__all__ = [
    "CODES",
    "ETIQUETTE_PREUVE_01",
    "ETIQUETTE_PREUVE_SOMME",
    "ORIGINES_CLE",
    "TAILLE_MAXIMALE",
    "VERSION",
    "VOTE_BLANC",
    "BulletinInvalide",
    "BulletinVerifie",
    "Manifeste",
    "ManifesteInvalide",
    "PreuveChoix",
    "PreuveSomme",
    "Tirages",
    "construire_bulletin",
    "creer_bulletin",
    "defi_choix",
    "defi_somme",
    "ecrire_bulletin",
    "enonce",
    "json_canonique",
    "lire_manifeste",
    "manifeste",
    "prouver_choix",
    "prouver_somme",
    "tirer",
    "traceur",
    "verifier_bulletin",
    "verifier_preuve_choix",
    "verifier_preuve_somme",
]

# A ballot of 7 choices is about 3 KiB; 64 KiB leaves room for ~150 choices and bounds
# what the parser is made to read from an anonymous request.
TAILLE_MAXIMALE = 64 * 1024

CODES = (
    "format",
    "election",
    "scrutin",
    "nombre_de_choix",
    "point",
    "scalaire",
    "preuve_choix",
    "preuve_somme",
)

_CLES_BULLETIN = frozenset({"choix", "election", "preuve_somme", "scrutin", "version"})
_CLES_CHOIX = frozenset({"alpha", "beta", "preuve"})
_CLES_PREUVE_01 = frozenset({"c0", "c1", "s0", "s1"})
_CLES_PREUVE_SOMME = frozenset({"c", "s"})


# --- Ballot (§ 5) ------------------------------------------------------------------------


class BulletinInvalide(ValueError):
    """A ballot refused by the strict reading; ``code`` is one of § 5.4's codes."""

    def __init__(self, code: str, detail: str) -> None:
        if code not in CODES:
            raise ValueError(f"unknown refusal code {code!r}")
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class BulletinVerifie:
    canonique: str
    traceur: str
    alpha0: bytes
    chiffres: tuple[Chiffre, ...]


def ecrire_bulletin(
    manifeste: Manifeste,
    chiffres: Sequence[Chiffre],
    preuves: Sequence[PreuveChoix],
    preuve_somme: PreuveSomme,
) -> str:
    """The canonical text of a ballot (§ 5.4): ASCII, keys sorted, no whitespace."""
    contenu = {
        "choix": [
            {
                "alpha": chiffre.alpha.hex(),
                "beta": chiffre.beta.hex(),
                "preuve": {
                    "c0": preuve.c0.hex(),
                    "c1": preuve.c1.hex(),
                    "s0": preuve.s0.hex(),
                    "s1": preuve.s1.hex(),
                },
            }
            for chiffre, preuve in zip(chiffres, preuves, strict=True)
        ],
        "election": manifeste.empreinte_hex,
        "preuve_somme": {"c": preuve_somme.c.hex(), "s": preuve_somme.s.hex()},
        "scrutin": manifeste.scrutin,
        "version": VERSION,
    }
    return json_canonique(contenu, ascii=True)


class Tirages(NamedTuple):
    """The scalars of one ballot, in § 5's draw order."""

    aleas: tuple[bytes, ...]  # r₀ … r_{k−1}
    preuves: tuple[tuple[bytes, bytes, bytes], ...]  # (wⱼ, c̄ⱼ, s̄ⱼ) for j = 0 … k−1
    w_somme: bytes  # w of the sum proof


def tirer(k: int, alea: Alea) -> Tirages:
    """The draws of a ballot of ``k`` choices. Their order is part of the protocol (§ 2,
    § 5): it is what makes a seeded ballot the same bytes in every language."""
    aleas = tuple(alea.scalaire() for _ in range(k))
    preuves = tuple((alea.scalaire(), alea.scalaire(), alea.scalaire()) for _ in range(k))
    return Tirages(aleas=aleas, preuves=preuves, w_somme=alea.scalaire())


def construire_bulletin(manifeste: Manifeste, valeurs: Sequence[int], alea: Alea) -> str:
    """A ballot encrypting ``valeurs`` (each 0 or 1), with § 5's draw order.

    :func:`creer_bulletin` is this with exactly one 1. Other vectors (two 1s, no 1) give
    ballots whose 0/1 proofs are honest and whose sum proof fails: the test vectors use
    them to show the sum proof is what stops a double vote."""
    k = len(valeurs)
    if k != len(manifeste.choix):
        raise ValueError("one value per choice of the manifest")
    if any(m not in (0, 1) for m in valeurs):
        raise ValueError("each value must be 0 or 1")
    aleas, tirages, w_somme = tirer(k, alea)

    y = manifeste.cle_publique
    chiffres = [chiffrer(y, m, r) for m, r in zip(valeurs, aleas, strict=True)]
    s = enonce(chiffres)
    preuves = [
        prouver_choix(manifeste, s, j, chiffres[j], valeurs[j], aleas[j], tirages[j])
        for j in range(k)
    ]
    r_total = aleas[0]
    for r in aleas[1:]:
        r_total = scalaire_add(r_total, r)
    return ecrire_bulletin(
        manifeste, chiffres, preuves, prouver_somme(manifeste, s, r_total, w_somme)
    )


def creer_bulletin(manifeste: Manifeste, choix: int, alea: Alea) -> str:
    """The canonical ballot for choice index ``choix`` (0 is the blank vote)."""
    if isinstance(choix, bool) or not 0 <= choix < len(manifeste.choix):
        raise ValueError("choice index out of the manifest's range")
    valeurs = [1 if j == choix else 0 for j in range(len(manifeste.choix))]
    return construire_bulletin(manifeste, valeurs, alea)


def traceur(canonique: str) -> str:
    """SHA-256 of the canonical ballot, base64url without padding: 43 characters (§ 5.5)."""
    condensat = hashlib.sha256(canonique.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(condensat).rstrip(b"=").decode("ascii")


def _format(detail: str) -> BulletinInvalide:
    return BulletinInvalide("format", detail)


def _objet(valeur: object, cles: frozenset[str], ou: str) -> dict[str, Any]:
    if not isinstance(valeur, dict):
        raise _format(f"{ou} must be an object")
    if set(valeur) != cles:
        manquantes = sorted(cles - set(valeur))
        en_trop = sorted(set(valeur) - cles)
        raise _format(f"{ou}: missing keys {manquantes}, unexpected keys {en_trop}")
    return valeur


def _hex(objet: dict[str, Any], cle: str, ou: str) -> bytes:
    valeur = objet[cle]
    if not isinstance(valeur, str) or not HEX.fullmatch(valeur):
        raise _format(f"{ou}.{cle} must be 64 lowercase hexadecimal digits")
    return bytes.fromhex(valeur)


@dataclass(frozen=True)
class _Lu:
    """A ballot past the format check: every field typed, nothing else checked yet."""

    scrutin: str
    election: bytes
    chiffres: tuple[Chiffre, ...]
    preuves: tuple[PreuveChoix, ...]
    preuve_somme: PreuveSomme


def _texte_borne(texte: object) -> str:
    if isinstance(texte, bytes | bytearray):
        if len(texte) > TAILLE_MAXIMALE:
            raise _format("ballot larger than the size limit")
        try:
            return bytes(texte).decode("utf-8")
        except UnicodeDecodeError as erreur:
            raise _format("ballot is not UTF-8") from erreur
    if not isinstance(texte, str):
        raise _format("ballot must be text")
    # A character is at least one UTF-8 byte: the cheap check first.
    if len(texte) > TAILLE_MAXIMALE:
        raise _format("ballot larger than the size limit")
    try:
        taille = len(texte.encode("utf-8"))
    except UnicodeEncodeError as erreur:
        raise _format("ballot is not encodable in UTF-8") from erreur
    if taille > TAILLE_MAXIMALE:
        raise _format("ballot larger than the size limit")
    return texte


def _lire_format(texte: object) -> _Lu:
    try:
        contenu = lire_json(_texte_borne(texte))
    except (ValueError, RecursionError) as erreur:
        if isinstance(erreur, BulletinInvalide):
            raise
        raise _format("ballot is not JSON") from erreur
    racine = _objet(contenu, _CLES_BULLETIN, "ballot")
    if type(racine["version"]) is not int or racine["version"] != VERSION:
        raise _format(f"version must be the integer {VERSION}")
    if not isinstance(racine["scrutin"], str):
        raise _format("scrutin must be a string")
    election = _hex(racine, "election", "ballot")
    if not isinstance(racine["choix"], list):
        raise _format("choix must be a list")
    chiffres, preuves = [], []
    for j, element in enumerate(racine["choix"]):
        ou = f"choix[{j}]"
        choix = _objet(element, _CLES_CHOIX, ou)
        preuve = _objet(choix["preuve"], _CLES_PREUVE_01, f"{ou}.preuve")
        chiffres.append(Chiffre(alpha=_hex(choix, "alpha", ou), beta=_hex(choix, "beta", ou)))
        preuves.append(
            PreuveChoix(
                c0=_hex(preuve, "c0", f"{ou}.preuve"),
                c1=_hex(preuve, "c1", f"{ou}.preuve"),
                s0=_hex(preuve, "s0", f"{ou}.preuve"),
                s1=_hex(preuve, "s1", f"{ou}.preuve"),
            )
        )
    somme = _objet(racine["preuve_somme"], _CLES_PREUVE_SOMME, "preuve_somme")
    return _Lu(
        scrutin=racine["scrutin"],
        election=election,
        chiffres=tuple(chiffres),
        preuves=tuple(preuves),
        preuve_somme=PreuveSomme(
            c=_hex(somme, "c", "preuve_somme"), s=_hex(somme, "s", "preuve_somme")
        ),
    )


def verifier_bulletin(texte: str | bytes, manifeste: Manifeste) -> BulletinVerifie:
    """The server's strict reading of a ballot against the manifest in force (§ 5.4).

    Checks in this order, the first failure giving the code: format, scrutin, election,
    nombre_de_choix, point, scalaire, preuve_choix (choice by choice), preuve_somme.
    Returns the canonical rewriting, which is what is stored, hashed and published."""
    lu = _lire_format(texte)
    if lu.scrutin != manifeste.scrutin:
        raise BulletinInvalide("scrutin", "ballot is for another scrutin")
    if lu.election != manifeste.empreinte:
        raise BulletinInvalide("election", "election fingerprint differs from the manifest's")
    if len(lu.chiffres) != len(manifeste.choix):
        raise BulletinInvalide(
            "nombre_de_choix",
            f"{len(lu.chiffres)} ciphertexts for {len(manifeste.choix)} choices",
        )
    for j, chiffre in enumerate(lu.chiffres):
        if not est_point(chiffre.alpha) or not est_point(chiffre.beta):
            raise BulletinInvalide("point", f"choix[{j}]: invalid or identity point")
    scalaires = [lu.preuve_somme.c, lu.preuve_somme.s]
    for preuve in lu.preuves:
        scalaires += [preuve.c0, preuve.c1, preuve.s0, preuve.s1]
    if not all(est_scalaire_canonique(s) for s in scalaires):
        raise BulletinInvalide("scalaire", "a proof scalar is not reduced modulo ℓ")
    s = enonce(lu.chiffres)
    for j, (chiffre, preuve) in enumerate(zip(lu.chiffres, lu.preuves, strict=True)):
        if not verifier_preuve_choix(manifeste, s, j, chiffre, preuve):
            raise BulletinInvalide("preuve_choix", f"choix[{j}]: 0/1 proof does not verify")
    if not verifier_preuve_somme(manifeste, s, lu.chiffres, lu.preuve_somme):
        raise BulletinInvalide("preuve_somme", "sum proof does not verify")
    canonique = ecrire_bulletin(manifeste, lu.chiffres, lu.preuves, lu.preuve_somme)
    return BulletinVerifie(
        canonique=canonique,
        traceur=traceur(canonique),
        alpha0=lu.chiffres[0].alpha,
        chiffres=lu.chiffres,
    )
