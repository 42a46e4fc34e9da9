from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from isoloir.accounts.models import Compte
from isoloir.core import horloge
from isoloir.votecode import services
from tests.second_facteur import verifier_second_facteur

NUMEN = "69E9501234ABC"
EMAIL_ELECTEUR = "marc.campodifiori@ac-lyon.fr"


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_electeur, settings):
    """A voter of a campaign whose vote opened an hour ago (the réassort is open), born in
    Marseille on 4 May 1977."""
    settings.ISOLOIR_BASE_URL = "http://testserver"
    campagne = creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=1))
    return creer_electeur(
        creer_scrutin(campagne, intitule="CSA ministériel"),
        active=True,
        email=EMAIL_ELECTEUR,
        nom_naissance="Campodifiori",
        prenoms="Marc",
        civilite="M.",
        numen=NUMEN,
        commune_naissance="13055",
        etablissement="Lycée Victor Hugo",
    )


@pytest.fixture
def code_actuel(electeur) -> str:
    with transaction.atomic():
        return services.emettre_code_initial(electeur=electeur)


def _membre(email: str, groupe: str | None) -> Compte:
    # No password: these tests log in with force_login, and hashing one costs a second.
    compte = Compte.objects.create_user(email, None, nom_affiche=email.split("@")[0])
    if groupe:
        compte.groups.add(Group.objects.get(name=groupe))
    return compte


@pytest.fixture
def agent(db) -> Compte:
    return _membre("agent.assistance@education.gouv.fr", "Assistance")


@pytest.fixture
def autre_agent(db) -> Compte:
    return _membre("collegue.assistance@education.gouv.fr", "Assistance")


@pytest.fixture
def assistance(client, agent):
    """A helpdesk member's browser, logged in with the second factor proved."""
    verifier_second_facteur(client, agent)
    return client
