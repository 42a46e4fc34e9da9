"""The seam through which the lower layers ask whether what they would change is locked
(issue 13, point 6): has the scrutin's bureau sealed it? may this campaign, scrutin,
list, candidate or inscription still change? what does the public board show of the
seal?

``elections`` asks the question; the app that seals (``counting``) answers, registering
its :class:`Verrou` when Django starts (``CountingConfig.ready``). The booth, the
elections admin and the roll import ask here, never ``counting`` itself, which sits
above them. Several locks may be registered: a scrutin is sealed if one of them says so,
a change is refused with the first refusal given.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.db import models

from isoloir.elections.models import Scrutin


@dataclass(frozen=True)
class Signataire:
    role: str
    detenteur: int


@dataclass(frozen=True)
class EtatPublic:
    """What the public board shows of the seal of a scrutin's bureau."""

    bureau: str
    empreinte: str
    scelle_le: datetime
    signataires: list[Signataire]
    ecarts: list[str]


class Verrou(Protocol):
    def est_scelle(self, scrutin: Scrutin | int) -> bool:
        """Whether the scrutin's bureau has sealed it."""
        ...

    def scrutins_scelles(self, scrutin_ids: list[int]) -> set[int]:
        """Those of ``scrutin_ids`` that are sealed, in one query."""
        ...

    def refus_de_modification(self, instance: models.Model) -> str | None:
        """Why saving ``instance`` (with its new values) would break a seal, in French."""
        ...

    def refus_de_suppression(self, instance: models.Model) -> str | None:
        """Why deleting ``instance`` would break a seal, in French."""
        ...

    def etat_public(self, scrutin: Scrutin) -> EtatPublic | None:
        """What the public board shows of the seal; None if there is no seal yet."""
        ...


_verrous: list[Verrou] = []


def enregistrer(verrou: Verrou) -> None:
    """Register a lock (once: registering it again changes nothing)."""
    if verrou not in _verrous:
        _verrous.append(verrou)


def est_scelle(scrutin: Scrutin | int) -> bool:
    """Whether the scrutin's bureau has sealed it (the seal's integrity is the sealing
    app's business)."""
    return any(verrou.est_scelle(scrutin) for verrou in _verrous)


def scrutins_scelles(scrutin_ids: Iterable[int]) -> set[int]:
    """Those of ``scrutin_ids`` whose bureau has sealed them (a campaign has 600
    scrutins: each lock answers in one query, not one per scrutin)."""
    ids = list(scrutin_ids)
    return set().union(*(verrou.scrutins_scelles(ids) for verrou in _verrous))


def refus_de_modification(instance: models.Model) -> str | None:
    """Why saving ``instance`` (with its new values) would break a seal, in French; None
    if it would not."""
    for verrou in _verrous:
        refus = verrou.refus_de_modification(instance)
        if refus:
            return refus
    return None


def refus_de_suppression(instance: models.Model) -> str | None:
    """Why deleting ``instance`` would break a seal, in French; None if it would not."""
    for verrou in _verrous:
        refus = verrou.refus_de_suppression(instance)
        if refus:
            return refus
    return None


def etat_public(scrutin: Scrutin) -> EtatPublic | None:
    """What the public board shows of the seal of the scrutin's bureau; None if there is
    no seal yet."""
    for verrou in _verrous:
        etat = verrou.etat_public(scrutin)
        if etat is not None:
            return etat
    return None
