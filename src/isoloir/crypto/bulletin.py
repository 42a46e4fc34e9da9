"""The manifest, the encrypted ballot, its proofs, its strict reading and its tracker.

Protocol § 4 and § 5. The booth (JavaScript) and this module write the same bytes from
the same draws: the order of the draws, the hashed parts and the canonical JSON are all
part of the protocol, and ``tests/vecteurs/protocole-v1.json`` pins them.
"""

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from isoloir.crypto.elgamal import Chiffre, chiffrer
from isoloir.crypto.groupe import (
    Alea,
    B,
    OperationImpossible,
    add,
    base,
    blake2b_256,
    est_point,
    est_scalaire_canonique,
    hacher_en_scalaire,
    mul,
    scalaire_add,
    scalaire_mul,
    scalaire_sub,
    sub,
)

VERSION = 1
VOTE_BLANC = "Vote blanc"
ORIGINES_CLE = ("developpement", "ceremonie")
ETIQUETTE_PREUVE_01 = "isoloir/v1/preuve-01"
ETIQUETTE_PREUVE_SOMME = "isoloir/v1/preuve-somme"

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

# The scrutin identifier is a Django slug: ASCII only, so the ballot stays ASCII whichever
# JSON writer (Python's ensure_ascii, JavaScript's JSON.stringify) produced it.
_SCRUTIN = re.compile(r"[A-Za-z0-9_-]{1,64}")
_HEX = re.compile(r"[0-9a-f]{64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_FORMAT_DATE = "%Y-%m-%dT%H:%M:%SZ"

_CLES_MANIFESTE = frozenset(
    {
        "campagne",
        "choix",
        "cle_publique",
        "cloture",
        "intitule",
        "origine_cle",
        "ouverture",
        "scrutin",
        "version",
    }
)
_CLES_BULLETIN = frozenset({"choix", "election", "preuve_somme", "scrutin", "version"})
_CLES_CHOIX = frozenset({"alpha", "beta", "preuve"})
_CLES_PREUVE_01 = frozenset({"c0", "c1", "s0", "s1"})
_CLES_PREUVE_SOMME = frozenset({"c", "s"})


def json_canonique(valeur: object, *, ascii: bool) -> str:
    """Keys sorted at every level, no whitespace (protocol § 4 and § 5.4)."""
    return json.dumps(valeur, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii)


# --- Manifest (§ 4) ----------------------------------------------------------------------


class ManifesteInvalide(ValueError):
    """A manifest that does not follow § 4 (never a voter's input: a server bug)."""


@dataclass(frozen=True)
class Manifeste:
    texte: str
    empreinte: bytes
    scrutin: str
    cle_publique: bytes
    choix: tuple[str, ...]
    origine_cle: str

    @property
    def empreinte_hex(self) -> str:
        """``E`` as the ballot and the booth show it."""
        return self.empreinte.hex()


def _date_utc(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ManifesteInvalide("manifest datetimes must be timezone-aware")
    try:
        u = moment.astimezone(UTC)
    except OverflowError as erreur:
        raise ManifesteInvalide("datetime out of range once in UTC") from erreur
    # The manifest has a one-second resolution: sub-second parts are dropped (floor).
    # Written by hand: strftime("%Y") does not pad years below 1000 on every platform.
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def _verifier_champs(
    *,
    campagne: object,
    scrutin: object,
    intitule: object,
    choix: object,
    cle_publique: object,
    origine_cle: object,
) -> None:
    if not isinstance(campagne, str) or not campagne:
        raise ManifesteInvalide("campagne must be a non-empty string")
    if not isinstance(scrutin, str) or not _SCRUTIN.fullmatch(scrutin):
        raise ManifesteInvalide("scrutin must be a slug of 1 to 64 ASCII characters")
    if not isinstance(intitule, str) or not intitule:
        raise ManifesteInvalide("intitule must be a non-empty string")
    if (
        not isinstance(choix, list | tuple)
        or not choix
        or not all(isinstance(c, str) and c for c in choix)
    ):
        raise ManifesteInvalide("choix must be a non-empty list of non-empty strings")
    if choix[0] != VOTE_BLANC:
        raise ManifesteInvalide(f"choice 0 must be {VOTE_BLANC!r}")
    if not isinstance(cle_publique, bytes) or not est_point(cle_publique):
        raise ManifesteInvalide("cle_publique must be a valid, non-identity point")
    if origine_cle not in ORIGINES_CLE:
        raise ManifesteInvalide(f"origine_cle must be one of {ORIGINES_CLE}")


def _lire_json(texte: str) -> Any:
    """Standard JSON only: no NaN or Infinity, no key given twice."""

    def sans_doublon(paires: list[tuple[str, Any]]) -> dict[str, Any]:
        objet: dict[str, Any] = {}
        for cle, valeur in paires:
            if cle in objet:
                raise ValueError(f"duplicate key {cle!r}")
            objet[cle] = valeur
        return objet

    def constante(nom: str) -> object:
        raise ValueError(f"{nom} is not JSON")

    return json.loads(texte, object_pairs_hook=sans_doublon, parse_constant=constante)


def _manifeste_de_texte(texte: str, contenu: dict[str, Any], cle_publique: bytes) -> Manifeste:
    try:
        octets = texte.encode("utf-8")
    except UnicodeEncodeError as erreur:  # a lone surrogate has no UTF-8 encoding
        raise ManifesteInvalide("manifest text is not encodable in UTF-8") from erreur
    return Manifeste(
        texte=texte,
        empreinte=blake2b_256(octets),
        scrutin=contenu["scrutin"],
        cle_publique=cle_publique,
        choix=tuple(contenu["choix"]),
        origine_cle=contenu["origine_cle"],
    )


def manifeste(
    *,
    campagne: str,
    scrutin: str,
    intitule: str,
    choix: Sequence[str],
    cle_publique: bytes,
    origine_cle: str,
    ouverture: datetime,
    cloture: datetime,
) -> Manifeste:
    """The canonical manifest of a scrutin and its fingerprint ``E`` (protocol § 4)."""
    _verifier_champs(
        campagne=campagne,
        scrutin=scrutin,
        intitule=intitule,
        # A str is a Sequence too: passed as is, so the list check refuses it.
        choix=choix if isinstance(choix, str) else list(choix),
        cle_publique=cle_publique,
        origine_cle=origine_cle,
    )
    contenu: dict[str, Any] = {
        "campagne": campagne,
        "choix": list(choix),
        "cle_publique": cle_publique.hex(),
        "cloture": _date_utc(cloture),
        "intitule": intitule,
        "origine_cle": origine_cle,
        "ouverture": _date_utc(ouverture),
        "scrutin": scrutin,
        "version": VERSION,
    }
    return _manifeste_de_texte(json_canonique(contenu, ascii=False), contenu, cle_publique)


def lire_manifeste(texte: str) -> Manifeste:
    """The manifest the server serves, read back: every field checked, and the text must
    be the canonical writing of its content (one manifest, one fingerprint)."""
    try:
        contenu = _lire_json(texte)
    except (ValueError, RecursionError) as erreur:
        raise ManifesteInvalide("manifest is not JSON") from erreur
    if not isinstance(contenu, dict) or set(contenu) != _CLES_MANIFESTE:
        raise ManifesteInvalide("manifest keys differ from protocol § 4")
    if type(contenu["version"]) is not int or contenu["version"] != VERSION:
        raise ManifesteInvalide(f"manifest version must be {VERSION}")
    cle_hex = contenu["cle_publique"]
    if not isinstance(cle_hex, str) or not _HEX.fullmatch(cle_hex):
        raise ManifesteInvalide("cle_publique must be 64 lowercase hexadecimal digits")
    cle_publique = bytes.fromhex(cle_hex)
    _verifier_champs(
        campagne=contenu["campagne"],
        scrutin=contenu["scrutin"],
        intitule=contenu["intitule"],
        choix=contenu["choix"],
        cle_publique=cle_publique,
        origine_cle=contenu["origine_cle"],
    )
    for champ in ("ouverture", "cloture"):
        date = contenu[champ]
        if not isinstance(date, str) or not _DATE.fullmatch(date):
            raise ManifesteInvalide(f"{champ} must be written YYYY-MM-DDTHH:MM:SSZ")
        try:
            datetime.strptime(date, _FORMAT_DATE)
        except ValueError as erreur:
            raise ManifesteInvalide(f"{champ} is not a date") from erreur
    if json_canonique(contenu, ascii=False) != texte:
        raise ManifesteInvalide("manifest text is not canonical")
    return _manifeste_de_texte(texte, contenu, cle_publique)


# --- Proofs (§ 5.1–5.3) ------------------------------------------------------------------


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
    if not isinstance(valeur, str) or not _HEX.fullmatch(valeur):
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
        contenu = _lire_json(_texte_borne(texte))
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
