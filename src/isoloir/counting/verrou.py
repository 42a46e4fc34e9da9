"""The bureau's seal, as the answer ``counting`` registers to the question the lower
layers ask ``elections`` (elections/verrous.py): what a bureau has sealed may no longer
change (docs/scellement.md)."""

from django.db import models

from isoloir.counting import scellement, signals
from isoloir.elections import verrous
from isoloir.elections.models import Scrutin
from isoloir.elections.verrous import EtatPublic


class VerrouDuScellement:
    def est_scelle(self, scrutin: Scrutin | int) -> bool:
        return scellement.est_scelle(scrutin)

    def scrutins_scelles(self, scrutin_ids: list[int]) -> set[int]:
        return scellement.scrutins_scelles(scrutin_ids)

    def refus_de_modification(self, instance: models.Model) -> str | None:
        return signals.refus_de_modification(instance)

    def refus_de_suppression(self, instance: models.Model) -> str | None:
        return signals.refus_de_suppression(instance)

    def etat_public(self, scrutin: Scrutin) -> EtatPublic | None:
        return scellement.etat_public(scrutin)


VERROU = VerrouDuScellement()


def enregistrer() -> None:
    verrous.enregistrer(VERROU)
