"""A form posted from a page left open too long (its CSRF token no longer matches, or the
session is gone) says so in French and comes back with what could be kept: the non-secret
fields, never a password, a code, a NUMEN, a secret answer, a CAPTCHA nor a file."""

import re
from html import escape

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.urls import resolve

from isoloir.core.formulaire_expire import (
    CLE_DE_SESSION,
    SESSION_EXPIREE,
    formulaire_expire,
    reprise_apres_expiration,
)
from tests.factories import MOT_DE_PASSE
from tests.sessions import contenu_de_session

pytestmark = pytest.mark.django_db

CONNEXION = "/portail/connexion/"
ORIGINE = "http://testserver"
EMAIL = "sophie.campodifiori@ac-lyon.fr"
SECRET = "une phrase de passe bien secrète"


def navigateur(page: str) -> tuple[Client, str]:
    """A browser that has opened ``page``, then whose CSRF cookie changed meanwhile (a login
    in another tab, an expired cookie): the token of the form it shows is stale."""
    client = Client(enforce_csrf_checks=True, headers={"Origin": ORIGINE})
    contenu = client.get(page).content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', contenu)
    assert jeton, f"pas de jeton CSRF dans {page}"
    client.cookies["csrftoken"] = "x" * 32
    return client, jeton.group(1)


def test_connexion_perimee_garde_l_adresse_et_pas_le_mot_de_passe() -> None:
    page = f"{CONNEXION}?next=/portail/reclamations/"
    client, jeton = navigateur(page)
    reponse = client.post(
        page, {"csrfmiddlewaretoken": jeton, "email": EMAIL, "mot_de_passe": SECRET}
    )
    # Back to the same form, by GET (a reload does not post again), its query kept.
    assert reponse.status_code == 303
    assert reponse["Location"] == page
    assert EMAIL in contenu_de_session(client)
    assert SECRET not in contenu_de_session(client)

    contenu = client.get(page).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert 'class="fr-alert fr-alert--warning' in contenu
    assert f'value="{EMAIL}"' in contenu
    assert SECRET not in contenu
    assert 'name="next" value="/portail/reclamations/"' in contenu
    # Kept for that one return only.
    assert CLE_DE_SESSION not in contenu_de_session(client)
    assert f'value="{EMAIL}"' not in client.get(page).content.decode()


def test_le_formulaire_repris_s_envoie_ensuite(creer_electeur) -> None:
    compte = creer_electeur(active=True, email=EMAIL).compte
    client, jeton = navigateur(CONNEXION)
    client.post(CONNEXION, {"csrfmiddlewaretoken": jeton, "email": EMAIL, "mot_de_passe": "x"})
    contenu = client.get(CONNEXION).content.decode()
    jeton = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', contenu).group(1)
    reponse = client.post(
        CONNEXION, {"csrfmiddlewaretoken": jeton, "email": EMAIL, "mot_de_passe": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302
    assert client.session["_auth_user_id"] == str(compte.pk)


def test_mot_de_passe_oublie_garde_l_adresse() -> None:
    page = "/portail/mot-de-passe-oublie/"
    client, jeton = navigateur(page)
    reponse = client.post(page, {"csrfmiddlewaretoken": jeton, "email": EMAIL})
    assert reponse.status_code == 303
    contenu = client.get(page).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert f'value="{EMAIL}"' in contenu


def test_demande_d_assistance_garde_le_message_et_pas_le_captcha() -> None:
    page = "/portail/assistance/demande/"
    client, jeton = navigateur(page)
    message = "Je n'ai jamais reçu le lien d'activation de mon compte."
    reponse = client.post(
        page,
        {
            "csrfmiddlewaretoken": jeton,
            "cle": "cle-du-formulaire",
            "nom": "Sophie Campodifiori",
            "email": EMAIL,
            "telephone": "04 72 00 00 00",
            "categorie": "activation",
            "message": message,
            "captcha_0": "cle-du-captcha",
            "captcha_1": "REPONSE",
        },
    )
    assert reponse.status_code == 303
    session = contenu_de_session(client)
    assert "REPONSE" not in session
    assert "cle-du-captcha" not in session
    contenu = client.get(page).content.decode()
    assert escape(SESSION_EXPIREE) in contenu
    assert "Je n&#x27;ai jamais reçu le lien d&#x27;activation de mon compte." in contenu
    assert 'value="Sophie Campodifiori"' in contenu
    assert 'value="04 72 00 00 00"' in contenu
    assert '<option value="activation" selected>' in contenu
    assert 'value="REPONSE"' not in contenu


def test_une_autre_origine_ne_remplit_rien() -> None:
    """A post from another site (the attack CSRF protection is for) gets the page, not a
    form filled with what that site chose."""
    client, jeton = navigateur(CONNEXION)
    reponse = client.post(
        CONNEXION,
        {"csrfmiddlewaretoken": jeton, "email": "piege@attaquant.example"},
        headers={"Origin": "https://attaquant.example"},
    )
    assert reponse.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in reponse.content.decode()
    assert "attaquant" not in contenu_de_session(client)


def test_une_page_sans_reprise_garde_la_page_d_explication() -> None:
    # The logout button of a stale page: nothing to refill, and no page to go back to by GET.
    client, jeton = navigateur(CONNEXION)
    reponse = client.post("/portail/deconnexion/", {"csrfmiddlewaretoken": jeton})
    assert reponse.status_code == 403
    contenu = reponse.content.decode()
    assert "<h1>Formulaire expiré</h1>" in contenu
    assert '<header role="banner" class="fr-header">' in contenu


def test_jamais_de_redirection_hors_du_site() -> None:
    requete = RequestFactory().post(CONNEXION, {"email": EMAIL}, headers={"Origin": ORIGINE})
    requete.path = requete.path_info = "//attaquant.example/portail/connexion/"
    # As if that path had reached the login view: only the address check stands between.
    requete.resolver_match = resolve(CONNEXION)
    requete.session = Client().session
    requete._messages = FallbackStorage(requete)
    reponse = formulaire_expire(requete, reason="CSRF token incorrect.")
    assert reponse.status_code == 403


def test_un_secret_ne_peut_pas_etre_declare_repris() -> None:
    for secret in ("mot_de_passe", "code_de_vote", "numen", "reponse_defi", "captcha_1"):
        with pytest.raises(ValueError, match=secret):
            reprise_apres_expiration("email", secret)
