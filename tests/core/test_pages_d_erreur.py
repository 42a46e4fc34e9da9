"""Error pages are French DSFR pages, even those Django renders without a request."""

import pytest
from django.template.loader import render_to_string
from django.test import Client


@pytest.mark.django_db
def test_page_introuvable(client) -> None:
    reponse = client.get("/portail/nulle-part/")
    assert reponse.status_code == 404
    contenu = reponse.content.decode()
    assert "<h1>Page introuvable</h1>" in contenu
    assert "République<br>française" in contenu


def test_erreur_du_service_sans_requete(settings) -> None:
    settings.ISOLOIR_MARQUE = "Ministère|de l'Éducation|nationale"
    page = render_to_string("500.html")
    assert "<h1>Erreur du service</h1>" in page
    assert "Ministère<br>de l&#x27;Éducation<br>nationale" in page


@pytest.mark.django_db
def test_formulaire_sans_jeton_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/portail/connexion/", {"email": "a@b.fr", "mot_de_passe": "x"})
    assert reponse.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in reponse.content.decode()
