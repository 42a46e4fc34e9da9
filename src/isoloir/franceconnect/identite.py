"""Matching the identity FranceConnect vouches for with the voter the roll knows.

The voter is already logged in to the portal: FranceConnect does not say *who* they are
among 1.4 million voters, it confirms that the person at the keyboard is the one the roll
describes. The rules (docs/franceconnect.md):

- the birth date is exactly the roll's, presumed dates included (FranceConnect sends
  ``YYYY-01-01`` or ``YYYY-MM-01`` when the civil registry has no exact date: a roll that
  holds another date does not match, and the voter falls back to the question défi);
- the birth name FranceConnect sends (``family_name``) is the roll's birth name or usage
  name, or the usage name it sends (``preferred_username``) is the roll's usage name;
- the first given name is the roll's first prénom;
- names are compared once normalised: accents, case, hyphens, apostrophes and spaces
  do not count (for first names, spaces and hyphens still separate words).

The sex is never decisive: the civilité on the roll is a courtesy title the agent chose,
not the civil registry's sex, and with one candidate there is no tie for it to break. It
is only recorded in the journal.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from isoloir.accounts.models import Civilite, Electeur
from isoloir.core.texte import sans_accents

# Ligatures have no canonical decomposition, so stripping accents leaves them alone.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_SEPARATEURS = re.compile(r"[\W_]+")


def normaliser(texte: str) -> str:
    """« Saint-Exupéry », « SAINT EXUPERY » and « saint’exupéry » → « saint exupery »."""
    plie = sans_accents(sans_accents(texte).casefold()).casefold().translate(_LIGATURES)
    return _SEPARATEURS.sub(" ", plie).strip()


def _mots(texte: str) -> list[str]:
    return normaliser(texte).split()


def _cle_nom(texte: str) -> str:
    # Without the separators at all: « N'Diaye » is « NDIAYE » in many HR extracts, and
    # « Le Guérec » « LEGUEREC ».
    return normaliser(texte).replace(" ", "")


@dataclass(frozen=True)
class IdentiteFC:
    """The pivot identity of the signed userinfo, as FranceConnect writes it."""

    sub: str
    prenoms: tuple[str, ...]
    nom_naissance: str
    nom_usage: str
    date_naissance: str
    genre: str

    @classmethod
    def depuis_userinfo(cls, revendications: Mapping[str, Any]) -> "IdentiteFC":
        def texte(nom: str) -> str:
            valeur = revendications.get(nom)
            return valeur if isinstance(valeur, str) else ""

        tableau = revendications.get("given_name_array")
        if isinstance(tableau, list) and tableau and all(isinstance(p, str) for p in tableau):
            prenoms = tuple(tableau)
        else:
            prenoms = tuple(texte("given_name").split())
        return cls(
            sub=texte("sub"),
            prenoms=prenoms,
            nom_naissance=texte("family_name"),
            nom_usage=texte("preferred_username"),
            date_naissance=texte("birthdate"),
            genre=texte("gender"),
        )

    @property
    def date_peut_etre_presumee(self) -> bool:
        """FranceConnect does not flag presumed dates; a first of the month may be one."""
        return self.date_naissance.endswith("-01")


@dataclass(frozen=True)
class Comparaison:
    date_naissance: bool
    nom: bool
    prenom: bool
    # None when FranceConnect sent no sex it could compare.
    civilite: bool | None

    @property
    def concordante(self) -> bool:
        return self.date_naissance and self.nom and self.prenom

    @property
    def ecarts(self) -> list[str]:
        """The criteria that failed, by name: what the journal keeps, not the values."""
        criteres = {"date_naissance": self.date_naissance, "nom": self.nom, "prenom": self.prenom}
        return [critere for critere, concorde in criteres.items() if not concorde]


def _meme_nom(identite: IdentiteFC, electeur: Electeur) -> bool:
    nom_fc, usage_fc = _cle_nom(identite.nom_naissance), _cle_nom(identite.nom_usage)
    naissance, usage = _cle_nom(electeur.nom_naissance), _cle_nom(electeur.nom_usage)
    return bool(nom_fc and nom_fc in {naissance, usage}) or bool(usage and usage_fc == usage)


def _meme_premier_prenom(identite: IdentiteFC, electeur: Electeur) -> bool:
    # Either side may have lost the hyphen of a compound first name (HR extracts often
    # do): « Jean-Pierre » on one side is « Jean Pierre » on the other, and then one side's
    # first prénom spans two words of the other. So each side's first prénom must open the
    # other side's full list of prénoms, word for word.
    if not identite.prenoms or not electeur.prenoms:
        return False
    premier_fc, tous_fc = _mots(identite.prenoms[0]), _mots(" ".join(identite.prenoms))
    premier_roll, tous_roll = _mots(electeur.premier_prenom), _mots(electeur.prenoms)
    return bool(premier_fc and premier_roll) and (
        tous_roll[: len(premier_fc)] == premier_fc and tous_fc[: len(premier_roll)] == premier_roll
    )


_CIVILITES = {"female": Civilite.MADAME, "male": Civilite.MONSIEUR}


def comparer(identite: IdentiteFC, electeur: Electeur) -> Comparaison:
    civilite = _CIVILITES.get(identite.genre)
    return Comparaison(
        # Compared as FranceConnect writes it (YYYY-MM-DD): a presumed date is exact too.
        date_naissance=identite.date_naissance == electeur.date_naissance.isoformat(),
        nom=_meme_nom(identite, electeur),
        prenom=_meme_premier_prenom(identite, electeur),
        civilite=None if civilite is None else civilite == electeur.civilite,
    )


def rapprocher(identite: IdentiteFC, electeur: Electeur) -> bool:
    """Whether the FranceConnect identity is this voter's (rules in the module doc)."""
    return comparer(identite, electeur).concordante
