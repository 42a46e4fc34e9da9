"""The report of a delivery list's import: errors by line and column, changes by state."""

from collections import Counter
from dataclasses import dataclass, field

from isoloir.core.lecture_csv import ErreurDeLigne
from isoloir.votecode.models import EtatRemise

ERREURS_MAX = 200  # shown; the count says how many more there were
LIBELLES_DE_COLONNES = {
    "email": "adresse électronique professionnelle",
    "numen": "NUMEN",
    "etat": "état",
    "date": "date",
}


@dataclass
class RapportRemises:
    simulation: bool
    lignes: int = 0
    erreurs: list[ErreurDeLigne] = field(default_factory=list)
    nombre_erreurs: int = 0
    inchangees: int = 0
    modifiees: Counter[str] = field(default_factory=Counter)  # by new state
    encodage: str = ""
    separateur: str = ""

    @property
    def refuse(self) -> bool:
        return self.nombre_erreurs > 0

    @property
    def total_modifiees(self) -> int:
        return sum(self.modifiees.values())

    def modifiees_par_libelle(self) -> list[tuple[str, int]]:
        return [(etat.label, self.modifiees[etat.value]) for etat in EtatRemise]

    def signaler(self, ligne: int, colonne: str, message: str) -> None:
        """``colonne`` is a column's key (``email``, ``etat``…), or its header as written
        when the import does not use it."""
        self.nombre_erreurs += 1
        if len(self.erreurs) < ERREURS_MAX:
            self.erreurs.append(
                ErreurDeLigne(ligne, LIBELLES_DE_COLONNES.get(colonne, colonne), message)
            )
