"""A claim form left open too long: what the voter wrote comes back (type, scrutin,
identity, explanation), with a French explanation; the files and the CAPTCHA do not. The
same when the session itself has expired: after logging in again, the form is there."""

import re
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from isoloir.core.formulaire_expire import SESSION_EXPIREE, SESSION_EXPIREE_CONNEXION
from isoloir.reclamations.models import Reclamation
from tests.reclamations.conftest import PDF, Situation
from tests.sessions import contenu_de_session, expirer_la_session

pytestmark = pytest.mark.django_db

DEPOSER = "/portail/reclamations/nouvelle/"
SANS_COMPTE = "/portail/reclamations/sans-compte/"
EXPLICATION = "Je suis professeure certifiée depuis 2019, affectée au lycée du Parc."


def jeton_csrf(contenu: str) -> str:
    trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', contenu)
    assert trouve, "pas de jeton CSRF dans la page"
    return trouve.group(1)


def navigateur() -> Client:
    return Client(enforce_csrf_checks=True, headers={"Origin": "http://testserver"})


def envoi(contenu: str, situation: Situation) -> dict:
    return {
        "csrfmiddlewaretoken": jeton_csrf(contenu),
        "jeton": re.search(r'name="jeton" value="([^"]+)"', contenu).group(1),
        "type": "identite",
        "scrutin": situation.a.pk,
        "nom_naissance": "Campodifiori",
        "explication": EXPLICATION,
        "pieces": [SimpleUploadedFile("arrêté.pdf", PDF, content_type="application/pdf")],
    }


def assert_formulaire_repris(contenu: str, situation: Situation) -> None:
    assert EXPLICATION in contenu
    assert 'value="Campodifiori"' in contenu
    assert re.search(r'value="identite"[^>]*checked', contenu)
    assert f'<option value="{situation.a.pk}" selected>' in contenu
    assert "arrêté.pdf" not in contenu


def test_jeton_perime(situation: Situation) -> None:
    client = navigateur()
    client.force_login(situation.electeur.compte)
    donnees = envoi(client.get(DEPOSER).content.decode(), situation)
    client.cookies["csrftoken"] = "x" * 32  # rotated meanwhile (a login in another tab)
    reponse = client.post(DEPOSER, donnees)
    assert reponse.status_code == 303
    assert reponse["Location"] == DEPOSER
    assert not Reclamation.objects.exists()
    contenu = client.get(DEPOSER).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert_formulaire_repris(contenu, situation)


def test_session_expiree(situation: Situation) -> None:
    client = navigateur()
    client.force_login(situation.electeur.compte)
    donnees = envoi(client.get(DEPOSER).content.decode(), situation)
    expirer_la_session(client)  # thirty minutes without a request
    reponse = client.post(DEPOSER, donnees)
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/portail/connexion/?next={DEPOSER}"
    assert not Reclamation.objects.exists()
    assert escape(SESSION_EXPIREE_CONNEXION) in client.get(reponse["Location"]).content.decode()
    client.force_login(situation.electeur.compte)  # keeps the session's data, as login does
    contenu = client.get(DEPOSER).content.decode()
    assert_formulaire_repris(contenu, situation)


def test_sans_compte_garde_l_identite_pas_le_captcha(situation: Situation) -> None:
    client = navigateur()
    contenu = client.get(SANS_COMPTE).content.decode()
    donnees = {
        **envoi(contenu, situation),
        "civilite": "Mme",
        "prenoms": "Sophie Marie",
        "date_naissance": "1977-05-04",
        "etablissement": "Lycée du Parc",
        "email": "sophie.campodifiori@ac-lyon.fr",
        "captcha_0": re.search(r'name="captcha_0" value="([^"]+)"', contenu).group(1),
        "captcha_1": "REPONSE-DU-CAPTCHA",
    }
    client.cookies["csrftoken"] = "x" * 32
    reponse = client.post(SANS_COMPTE, donnees)
    assert reponse.status_code == 303
    assert "REPONSE-DU-CAPTCHA" not in contenu_de_session(client)
    contenu = client.get(SANS_COMPTE).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert EXPLICATION in contenu
    assert 'value="sophie.campodifiori@ac-lyon.fr"' in contenu
    assert 'value="1977-05-04"' in contenu
    assert 'value="Sophie Marie"' in contenu
    assert "REPONSE-DU-CAPTCHA" not in contenu
    assert "arrêté.pdf" not in contenu
