"""The inscriptions a decision outside HR's files put on a roll (an accepted réclamation),
as the roll import asks for them (import_liste/comparaison.py, issue 12 point 15): HR's
systems know nothing of such a decision, and the next file would silently undo it.

``elections`` asks the question; the app that takes those decisions (``reclamations``)
answers, registering its provider when Django starts (``ReclamationsConfig.ready``): the
roll import, below it, never reads the claims itself (issue 13, point 6).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Decision:
    """An accepted decision that put a voter on a scrutin's roll."""

    pk: int
    reference: str  # the claimant's receipt number, « R-2026-00042 »
    decide_le: datetime


# scrutin ids -> (voter, scrutin) -> the latest decision that put this voter on the roll
Fournisseur = Callable[[list[int]], dict[tuple[int, int], Decision]]

_fournisseurs: list[Fournisseur] = []


def enregistrer(fournisseur: Fournisseur) -> None:
    """Register a provider (once: registering it again changes nothing)."""
    if fournisseur not in _fournisseurs:
        _fournisseurs.append(fournisseur)


def decisions_qui_ont_inscrit(scrutin_ids: Iterable[int]) -> dict[tuple[int, int], Decision]:
    """(voter, scrutin) -> the latest decision that put this voter on the roll of one of
    these scrutins."""
    ids = list(scrutin_ids)
    resultat: dict[tuple[int, int], Decision] = {}
    for fournisseur in _fournisseurs:
        for cle, decision in fournisseur(ids).items():
            if cle not in resultat or decision.decide_le >= resultat[cle].decide_le:
                resultat[cle] = decision
    return resultat
