"""The procès-verbal bears the portal's marque, the administration that ran the election
(issue 12, point 17), not a fixed « République française »."""

import pytest
from django.urls import reverse
from pytest_django import Settings

from isoloir.core.presentation import enregistrer_marque
from tests.counting.resultats import depouiller
from tests.pdf import texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def test_le_pv_porte_la_marque_du_portail(
    client, bureau, scrutin, creer_electeur, settings: Settings, tmp_path
) -> None:
    settings.ISOLOIR_MARQUE = "République|française"
    enregistrer_marque(["Ministère", "de l'Éducation", "nationale"])
    depouiller(bureau, scrutin, creer_electeur, [0, 1, 2])

    reponse = client.get(
        reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code])
    )

    assert reponse.status_code == 200
    texte = texte_du_pdf(reponse.content, tmp_path)
    # Upper case, as the DSFR writes a bloc-marque, one line each.
    entete = [ligne.split("  ")[0] for ligne in texte.splitlines()[:3]]
    assert entete == ["MINISTÈRE", "DE L'ÉDUCATION", "NATIONALE"]
    assert "RÉPUBLIQUE" not in texte
