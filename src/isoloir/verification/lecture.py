"""Reading the archive's JSON values: each helper checks one value's shape or fails.

A tampered archive may hold anything where a field is expected; these helpers turn every
such surprise into :class:`_Malforme`, which the checks report as a finding ("structure
inattendue") instead of crashing, and they give the few shared ways of writing an
instant or a fingerprint in a message.
"""

from datetime import UTC, datetime
from typing import Any


class _Malforme(Exception):
    """A file whose structure is not the archive's (a field missing, of the wrong type)."""


def _en_utc(moment: datetime) -> str:
    """The manifest's own form of an instant: UTC, to the second, with "Z". An archive may
    write its instants with any offset: they are compared once in UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _objet(valeur: object, ou: str) -> dict[str, Any]:
    if not isinstance(valeur, dict):
        raise _Malforme(f"{ou} devrait être un objet JSON")
    return valeur


def _champ(objet: dict[str, Any], cle: str, ou: str) -> Any:
    if cle not in objet:
        raise _Malforme(f"le champ « {cle} » manque dans {ou}")
    return objet[cle]


def _liste(valeur: object, ou: str) -> list[Any]:
    if not isinstance(valeur, list):
        raise _Malforme(f"{ou} devrait être une liste")
    return valeur


def _texte(valeur: object, ou: str) -> str:
    if not isinstance(valeur, str):
        raise _Malforme(f"{ou} devrait être un texte")
    return valeur


def _entier(valeur: object, ou: str) -> int:
    if type(valeur) is not int or valeur < 0:
        raise _Malforme(f"{ou} devrait être un entier positif ou nul")
    return valeur


def _date(valeur: object, ou: str) -> datetime:
    try:
        moment = datetime.fromisoformat(_texte(valeur, ou))
    except ValueError:
        raise _Malforme(f"{ou} devrait être une date ISO 8601") from None
    if moment.tzinfo is None:
        raise _Malforme(f"{ou} devrait porter son fuseau horaire")
    return moment


def _court(empreinte: str) -> str:
    return empreinte[:16] + "…"
