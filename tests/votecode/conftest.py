from datetime import timedelta

import pytest
from django.db import transaction

from isoloir.core import horloge
from isoloir.votecode import services


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_electeur, settings):
    settings.ISOLOIR_BASE_URL = "http://testserver"
    campagne = creer_campagne(ouverture=horloge.maintenant() - timedelta(hours=1))
    return creer_electeur(
        creer_scrutin(campagne),
        active=True,
        email="marc.campodifiori@ac-lyon.fr",
        nom_naissance="Campodifiori",
        prenoms="Marc",
        civilite="M.",
        numen="69E9501234ABC",
    )


@pytest.fixture
def code_actuel(electeur) -> str:
    with transaction.atomic():
        return services.emettre_code_initial(electeur=electeur)


@pytest.fixture
def connecte(client, electeur):
    client.force_login(electeur.compte)
    return client
