"""One shape for the progress of a background job, as the page that follows it shows it.

The back-office follows three kinds of job while they run: a roll import, the notices'
generation, a campaign's mailings. Each page polls a JSON endpoint, and all three answer
with this shape, read by one script (``core/static/isoloir/js/progression.js``)::

    {
      "etat": "verification",
      "libelle": "Vérification en cours",
      "en_cours": true,
      "barres": [
        {"cle": "lignes", "faits": 3600, "total": 30000,
         "texte": "12 % — 3 600 lignes traitées sur 30 000"}
      ],
      "annonce": "Lecture et contrôle des lignes du fichier",
      "valeurs": {"etape": "Lecture et contrôle des lignes du fichier"}
    }

- ``etat``: a short code of the job's state. A page whose content depends on the state
  (its script reloads it when the code differs from the one it was rendered with) uses
  a code per rendering: the roll import says ``arrete`` for a run no worker advances.
- ``libelle``: the state in French, as the page shows it.
- ``en_cours``: whether the job may still move; the script stops polling when false and
  applies the page's end-of-job rule.
- ``barres``: one per ``<progress>`` on the page: its key (``data-progression-barre``),
  the work done, the work in all (0 while unknown) and the text shown beside it.
- ``annonce``: one sentence for screen readers. The script speaks it through a polite
  live region only when it changes, never at every poll; "" says nothing new.
- ``valeurs``: the page's own named values (a step, a mailing's counters…), each shown
  as the text of the elements marked ``data-progression-valeur="<name>"``.

The pages render the same object first, so that they are complete without JavaScript.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

Valeur = str | int | bool


@dataclass(frozen=True)
class Barre:
    """One progress bar: ``faits`` of ``total``, and the words said beside it."""

    cle: str
    faits: int
    total: int
    texte: str

    def __post_init__(self) -> None:
        if not self.cle:
            raise ValueError("Une barre de progression a besoin d'une clé.")
        if self.faits < 0 or self.total < 0:
            raise ValueError(
                f"Barre {self.cle} : des nombres négatifs ({self.faits}, {self.total})."
            )

    @property
    def maximum(self) -> int:
        """The bar's max: a job of unknown size still draws an empty bar, not an error."""
        return max(self.total, 1)

    def en_json(self) -> dict[str, Valeur]:
        return {"cle": self.cle, "faits": self.faits, "total": self.total, "texte": self.texte}


@dataclass(frozen=True)
class Progression:
    """A job's progress, for its page and for the JSON its script polls (module's doc)."""

    etat: str
    libelle: str
    en_cours: bool
    barres: tuple[Barre, ...] = ()
    annonce: str = ""
    valeurs: Mapping[str, Valeur] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cles = [barre.cle for barre in self.barres]
        if len(set(cles)) != len(cles):
            raise ValueError(f"Deux barres de progression ont la même clé : {cles}.")
        if "" in self.valeurs:
            raise ValueError("Une valeur de la progression a besoin d'un nom.")

    @property
    def barre(self) -> dict[str, Barre]:
        """The bars by key, for templates: ``progression.barre.lignes.texte``."""
        return {barre.cle: barre for barre in self.barres}

    def en_json(self) -> dict[str, object]:
        return {
            "etat": self.etat,
            "libelle": self.libelle,
            "en_cours": self.en_cours,
            "barres": [barre.en_json() for barre in self.barres],
            "annonce": self.annonce,
            "valeurs": dict(self.valeurs),
        }
