"""The code page left open too long: the voter is told why, in French, and the code de vote
and the CAPTCHA answer are kept nowhere."""

import re
from html import escape

import pytest
from django.test import Client

from isoloir.core.formulaire_expire import SESSION_EXPIREE, SESSION_EXPIREE_CONNEXION
from tests.sessions import contenu_de_session, expirer_la_session

pytestmark = pytest.mark.django_db

SAISIE = "/portail/vote/code/"


def test_code_perime(electeur, code_actuel) -> None:
    client = Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver"})
    client.force_login(electeur.compte)
    contenu = client.get(SAISIE).content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', contenu).group(1)
    client.cookies["csrftoken"] = "x" * 32
    reponse = client.post(
        SAISIE,
        {
            "csrfmiddlewaretoken": jeton,
            "code_de_vote": code_actuel,
            "captcha_0": "cle",
            "captcha_1": "PASSED",
        },
    )
    assert reponse.status_code == 303
    assert code_actuel not in contenu_de_session(client)
    contenu = client.get(reponse["Location"]).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert code_actuel not in contenu
    assert "PASSED" not in contenu


def test_session_expiree_sur_la_page_du_code(electeur, code_actuel) -> None:
    client = Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver"})
    client.force_login(electeur.compte)
    contenu = client.get(SAISIE).content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', contenu).group(1)
    expirer_la_session(client)
    reponse = client.post(
        SAISIE, {"csrfmiddlewaretoken": jeton, "code_de_vote": code_actuel, "captcha_1": "x"}
    )
    assert reponse["Location"] == f"/portail/connexion/?next={SAISIE}"
    assert code_actuel not in contenu_de_session(client)
    assert escape(SESSION_EXPIREE_CONNEXION) in client.get(reponse["Location"]).content.decode()
