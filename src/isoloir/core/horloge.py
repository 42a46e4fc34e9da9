"""The one clock of the product.

Every rule that depends on time (voting windows, link expiry, the 120 seconds of a new
code de vote) reads :func:`maintenant`, so that tests can move time forward instead of sleeping.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")

_decalage = timedelta(0)
_figee: datetime | None = None


def maintenant() -> datetime:
    if _figee is not None:
        return _figee
    return timezone.now() + _decalage


@contextmanager
def figee_a(moment: datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` (an aware datetime) for the duration of the block."""
    global _figee
    precedent, _figee = _figee, moment
    try:
        yield
    finally:
        _figee = precedent


@contextmanager
def decalee_de(delta: timedelta) -> Iterator[None]:
    """Let the clock run, ``delta`` ahead of the real time."""
    global _decalage
    precedent, _decalage = _decalage, _decalage + delta
    try:
        yield
    finally:
        _decalage = precedent


UNITES = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "j": "days"}
DUREE = re.compile(r"(\d+)([smhdj])")


class DureeIllisible(ValueError):
    pass


def lire_duree(texte: str) -> timedelta:
    """``0``, ``30m``, ``2h``, ``3d`` (or ``3j``), ``1h30m``: a duration."""
    texte = texte.strip().lower()
    if texte == "0":
        return timedelta(0)
    morceaux = DUREE.findall(texte)
    if not morceaux or "".join(n + u for n, u in morceaux) != texte:
        raise DureeIllisible(
            f"Durée « {texte} » illisible : écrivez par exemple 0, 30m, 2h, 3d ou 1h30m."
        )
    duree = timedelta(0)
    for nombre, unite in morceaux:
        duree += timedelta(**{UNITES[unite]: int(nombre)})
    return duree


def avancer_au_demarrage(texte: str) -> None:
    """``ISOLOIR_HORLOGE_AVANCE`` (development only, refused in production by the
    settings): the whole process lives that much ahead, so that a demo reaches the end of
    its vote (at least 24 hours, A04) and its count without waiting. ``-3d`` goes back:
    the tests run the processes they start at their own date (tests/environnement.py)."""
    global _decalage
    texte = texte.strip()
    _decalage = -lire_duree(texte[1:]) if texte.startswith("-") else lire_duree(texte)


def duree_reelle(debut: datetime, fin: datetime) -> timedelta:
    """The time that really passes from ``debut`` to ``fin``. Subtracting two datetimes of
    the same ``ZoneInfo`` (a form's, read in Paris) gives the wall-clock difference, an
    hour off across a change of time; in UTC it is the real one."""
    return fin.astimezone(UTC) - debut.astimezone(UTC)


def en_jours_calendaires(instant: datetime, delai: timedelta) -> datetime:
    """``instant`` moved by ``delai`` on Paris's clock: the texts count days, and the day
    of the change to winter time lasts 25 hours (adding in UTC would end an hour early).
    Arithmetic on a ``ZoneInfo``-aware datetime is wall-clock arithmetic."""
    return (instant.astimezone(PARIS) + delai).astimezone(instant.tzinfo)
