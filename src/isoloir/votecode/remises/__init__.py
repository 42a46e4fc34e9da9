"""Delivery of the paper notices, voter by voter (B01), and its dashboard.

Each establishment hands the notices out against signature, posts the others, and at
the end destroys the envelopes nobody collected; it then sends back its list (CSV:
professional e-mail or NUMEN, state, date). The steps:

- ``lecture.py`` reads the list (the shared CSV reader, ``core/lecture_csv.py``, then the
  columns, states and dates of a delivery);
- ``application.py`` finds each row's voter and, if no row is wrong, writes the changes
  in one transaction (``importer_remises``); ``rapport.py`` is its report;
- ``saisie.py`` changes one voter's state from the back-office, under the same rules;
- ``suivi.py`` reads the dashboard: counts per establishment, each establishment's voters.

The NUMEN is hashed as soon as it is read and never quoted back, as in the roll import.

The names below are the package's public API, those the rest of the house imports; the
others are imported from their module.
"""

from isoloir.votecode.remises.application import importer_remises
from isoloir.votecode.remises.rapport import RapportRemises
from isoloir.votecode.remises.saisie import RemiseInvalide, modifier_remise
from isoloir.votecode.remises.suivi import (
    electeurs_de,
    electeurs_de_l_etablissement,
    ligne_du_tableau,
    lignes_du_tableau,
    remise_de,
    retard,
    tableau_des_remises,
    totaux,
    totaux_du_tableau,
)

__all__ = [
    "RapportRemises",
    "RemiseInvalide",
    "electeurs_de",
    "electeurs_de_l_etablissement",
    "importer_remises",
    "ligne_du_tableau",
    "lignes_du_tableau",
    "modifier_remise",
    "remise_de",
    "retard",
    "tableau_des_remises",
    "totaux",
    "totaux_du_tableau",
]
