"""The manifest of a scrutin and its fingerprint ``E`` (protocol § 4), and the canonical
JSON and strict JSON reading the ballot (§ 5) shares with it.

The booth (JavaScript) and this module write the same bytes: the canonical JSON is part
of the protocol, and ``tests/vecteurs/protocole-v1.json`` pins it.
"""

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from isoloir.crypto.groupe import blake2b_256, est_point

VERSION = 1
VOTE_BLANC = "Vote blanc"
ORIGINES_CLE = ("developpement", "ceremonie")

# The scrutin identifier is a Django slug: ASCII only, so the ballot stays ASCII whichever
# JSON writer (Python's ensure_ascii, JavaScript's JSON.stringify) produced it.
_SCRUTIN = re.compile(r"[A-Za-z0-9_-]{1,64}")
# 32 bytes (a point, a scalar, a fingerprint) as the manifest and the ballot write them.
HEX = re.compile(r"[0-9a-f]{64}")
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


def json_canonique(valeur: object, *, ascii: bool) -> str:
    """Keys sorted at every level, no whitespace (protocol § 4 and § 5.4)."""
    return json.dumps(valeur, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii)


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


def lire_json(texte: str) -> Any:
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
        contenu = lire_json(texte)
    except (ValueError, RecursionError) as erreur:
        raise ManifesteInvalide("manifest is not JSON") from erreur
    if not isinstance(contenu, dict) or set(contenu) != _CLES_MANIFESTE:
        raise ManifesteInvalide("manifest keys differ from protocol § 4")
    if type(contenu["version"]) is not int or contenu["version"] != VERSION:
        raise ManifesteInvalide(f"manifest version must be {VERSION}")
    cle_hex = contenu["cle_publique"]
    if not isinstance(cle_hex, str) or not HEX.fullmatch(cle_hex):
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
