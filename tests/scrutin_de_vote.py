"""Fixtures of a scrutin open to the vote (three lists, a development key), its voter and
that voter's open voting space; and a helper that encrypts a ballot for it. Loaded for
every test folder through ``pytest_plugins`` (tests/conftest.py)."""

from datetime import timedelta

import pytest
from django.db import transaction

from isoloir.booth import cles
from isoloir.core import horloge
from isoloir.crypto.bulletin import creer_bulletin
from isoloir.crypto.groupe import AleaSysteme
from isoloir.votecode import services

URNE_ET_DEFAUT = ["default", "urne"]


@pytest.fixture
def campagne(creer_campagne):
    return creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=1))


@pytest.fixture
def scrutin(campagne, creer_scrutin, creer_liste):
    scrutin = creer_scrutin(campagne, code="csa-men", intitule="CSA ministériel")
    for ordre, (sigle, nom) in enumerate(
        [("FSU", "Fédération syndicale unitaire"), ("UNSA", "UNSA Éducation"), ("FO", "FO")],
        start=1,
    ):
        creer_liste(scrutin, ordre=ordre, sigle=sigle, denomination=nom)
    cles.ceremonie_de_developpement(campagne)
    return scrutin


@pytest.fixture
def electeur(scrutin, creer_electeur):
    return creer_electeur(scrutin, active=True, email="marc.campodifiori@ac-lyon.fr")


def bulletin_pour(scrutin, choix: int) -> str:
    manifeste = cles.manifeste_du_scrutin(scrutin)
    assert manifeste is not None
    return creer_bulletin(manifeste, choix, AleaSysteme())


@pytest.fixture
def dans_l_isoloir(client, electeur):
    """A client logged in as the voter, with the voting space opened by their code."""
    client.force_login(electeur.compte)
    with transaction.atomic():
        code = services.emettre_code_initial(electeur=electeur)
    from tests.votecode.test_saisie_code import _saisir

    assert _saisir(client, code).status_code == 302
    return client
