"""Filing claims about the electoral roll and deciding them, one module per step:

- ``depot.py``: filing a claim, with or without an account, and its attachments;
- ``decision.py``: taking a claim, rejecting it, accepting it with its change of the roll;
- ``commun.py``: what both share (refusals, claim period, mails to the claimant).

The names below are the package's public API, the app's services
(``from isoloir.reclamations import services``). Settings such as the rate limits stay in
their module (``services.depot.PAR_IP``): a test patches them there, where they are read.
"""

from isoloir.reclamations.services.commun import (
    ReclamationRefusee,
    TropDeReclamations,
    campagnes_ouvertes,
    message_periode,
)
from isoloir.reclamations.services.decision import (
    Decision,
    accepter,
    prendre_en_charge,
    rejeter,
)
from isoloir.reclamations.services.depot import (
    Depot,
    deja_deposee_sans_compte,
    deposer,
    deposer_sans_compte,
)

__all__ = [
    "Decision",
    "Depot",
    "ReclamationRefusee",
    "TropDeReclamations",
    "accepter",
    "campagnes_ouvertes",
    "deja_deposee_sans_compte",
    "deposer",
    "deposer_sans_compte",
    "message_periode",
    "prendre_en_charge",
    "rejeter",
]
