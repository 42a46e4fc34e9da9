"""The state shared by every check: what was read from the archive, and the findings.

Each group of checks is a function of its own module taking this state, so that the
checks stay apart by responsibility while one run still lists every fault in one
:class:`Rapport`. What a check learns that a later one needs (the recomputed key, the
manifest, the ballots that verify, the sealed number of voters) is kept here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from isoloir.crypto import seuil
from isoloir.crypto.bulletin import BulletinVerifie
from isoloir.crypto.manifeste import Manifeste
from isoloir.verification.lecture import _Malforme
from isoloir.verification.rapport import Constat, Rapport


@dataclass(frozen=True)
class _Liste:
    identifiant: int
    sigle: str
    candidats: int


@dataclass
class _Scrutin:
    code: str
    bureau: str
    sieges_titulaires: int
    manifeste_texte: str
    empreinte_manifeste: str
    listes: list[_Liste]
    cloture: datetime
    brut: dict[str, Any]
    manifeste: Manifeste | None = None
    # Filled by the urne's check: every line's tracker, and the ballots that verify.
    traceurs: list[str] | None = None
    valides: list[BulletinVerifie] = field(default_factory=list)
    bulletins_sains: bool = False
    inscrits_scelles: int | None = None


@dataclass
class _Bureau:
    cle: str
    nom: str
    seuil_requis: int
    scrutins: list[str]
    # The key recomputed from the ceremony's messages (never the published one).
    cle_seuil: seuil.CleSeuil | None = None
    roles: dict[int, str] = field(default_factory=dict)


class _Etat:
    """One run's archive contents, its description, and the findings so far."""

    def __init__(self, chemin: Path) -> None:
        self.chemin = chemin
        self.rapport = Rapport(str(chemin))
        self.fichiers: dict[str, bytes] = {}
        self.documents: dict[str, Any] = {}
        self.campagne = ""
        self.bureaux: list[_Bureau] = []
        self.scrutins: list[_Scrutin] = []

    # --- findings -----------------------------------------------------------------------

    def ok(self, controle: str, message: str) -> None:
        self.rapport.constats.append(Constat(controle, True, message))

    def echec(self, controle: str, message: str) -> None:
        self.rapport.constats.append(Constat(controle, False, message))

    def garde(self, controle: str, fichier: str, verification: Callable[[], None]) -> None:
        """Runs one group of checks; a file not shaped like the archive's is a finding."""
        try:
            verification()
        except _Malforme as erreur:
            self.echec(controle, f"{fichier} : structure inattendue, {erreur}.")
        except seuil.ErreurSeuil as erreur:
            self.echec(controle, f"{fichier} : donnée cryptographique mal formée ({erreur}).")
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as erreur:
            # Whatever a tampered file holds, the verifier reports it and goes on.
            self.echec(
                controle, f"{fichier} : structure inattendue ({type(erreur).__name__} : {erreur})."
            )
