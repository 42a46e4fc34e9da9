"""The CSA's bureau de vote (the scrutin comes from tests/scrutin_de_vote.py)."""

import pytest

from isoloir.accounts.models import Compte
from isoloir.counting.models import BureauDeVote, MembreDuBureau, RattachementAuBureau, Role


def nouveau_compte(nom: str) -> Compte:
    # The minutes print the display name (never the e-mail address).
    return Compte.objects.create_user(
        f"{nom}@education.gouv.fr", "x" * 20, nom_affiche=nom.replace("-", " ").title()
    )


@pytest.fixture
def bureau(scrutin) -> BureauDeVote:
    """The CSA's bureau: président, secrétaire, a délégué per list (FSU, UNSA, FO)."""
    bureau = BureauDeVote.objects.create(campagne=scrutin.campagne, nom="BV du CSA ministériel")
    RattachementAuBureau.objects.create(bureau=bureau, scrutin=scrutin)
    MembreDuBureau.objects.create(
        bureau=bureau,
        compte=nouveau_compte("presidente"),
        role=Role.PRESIDENT,
        detenteur_de_cle=True,
    )
    MembreDuBureau.objects.create(
        bureau=bureau, compte=nouveau_compte("secretaire"), role=Role.SECRETAIRE
    )
    for liste in scrutin.listes.order_by("ordre"):
        MembreDuBureau.objects.create(
            bureau=bureau,
            compte=nouveau_compte(f"delegue-{liste.sigle.lower()}"),
            role=Role.DELEGUE,
            liste=liste,
            detenteur_de_cle=True,
        )
    return bureau
