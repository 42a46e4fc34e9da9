"""What every step of an import shares: its refusals, the silence after which its worker
is taken for dead, and its end states.

Each step holds the import through a lease (:mod:`isoloir.core.bail`, the row's ``jeton``
and ``battement``): a worker writes only while the import's row still carries its token,
checked under a row lock in the transaction of each batch. A worker that died leaves a
stale heartbeat; its successor takes the lease over and goes on from the checkpoint
committed with the last batch.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction

from isoloir.core import bail, horloge
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.models import EtatImport, ImportListe

# A worker whose heartbeat is older than this is taken for dead: another may take over.
DELAI_DE_SILENCE = timedelta(minutes=2)

MESSAGE_IMPORT_EN_COURS = (
    "Un import de la liste électorale de cette campagne est déjà en cours : attendez qu'il "
    "se termine (ou reprenez-le s'il est arrêté) avant d'en lancer un autre."
)
MESSAGE_LISTE_CHANGEE = (
    "La liste électorale a changé depuis la vérification du fichier : rien n'a été "
    "appliqué. Relancez la vérification pour voir les différences à jour."
)
MESSAGE_FICHIER_CHANGE = (
    "Le fichier conservé ne correspond plus à celui qui a été vérifié : rien n'a été "
    "appliqué. Déposez le fichier à nouveau."
)
MESSAGE_CONFLIT = (
    "La base a été modifiée pendant l'import ; le lot en cours n'a pas été enregistré. "
    "Relancez l'import."
)


class ListeScellee(Exception):
    """The import would change the roll of a scrutin its bureau has sealed."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes

    @property
    def message(self) -> str:
        return (
            "La liste électorale de "
            + ", ".join(self.codes)
            + " est scellée par le bureau de vote : elle ne peut plus changer. Rien n'a été "
            "enregistré."
        )


class ImportRefuse(Exception):
    """A step that cannot be taken now; the message, in French, says why."""


def arrete(import_: ImportListe) -> bool:
    """Whether the import is under way in a state no worker is advancing any more."""
    if import_.etat not in (EtatImport.VERIFICATION, EtatImport.APPLICATION, EtatImport.DEPOSE):
        return False
    return bail.perime(import_, duree=DELAI_DE_SILENCE, depuis=import_.depose_le)


def terminer(import_: ImportListe, etat: EtatImport, message: str = "") -> None:
    """A final state: the stored file, which holds NUMENs in clear, is deleted (once the
    state is committed: a rolled-back transaction must find its file again)."""
    if import_.chemin:
        chemin = Path(import_.chemin)
        transaction.on_commit(lambda: chemin.unlink(missing_ok=True))
    import_.etat = etat
    import_.chemin = ""
    import_.jeton = ""
    import_.termine_le = horloge.maintenant()
    if message:
        import_.message = message
    import_.save(update_fields=["etat", "chemin", "jeton", "termine_le", "message"])


def chiffres(rapport: RapportImport) -> dict[str, Any]:
    """The counts the journal records of a check or an application."""
    return {
        "lignes": rapport.lignes_lues,
        "electeurs_ajoutes": rapport.electeurs_ajoutes,
        "electeurs_modifies": rapport.electeurs_modifies,
        "electeurs_retires": rapport.electeurs_retires,
        "electeurs_inchanges": rapport.electeurs_inchanges,
        "inscriptions_ajoutees": rapport.inscriptions_ajoutees,
        "inscriptions_retirees": rapport.inscriptions_retirees,
    }
