"""Error pages are French DSFR pages with their status code, in production (DEBUG off) and
in the demo (DEBUG on, where Django would show its English technical pages), even those
Django renders without a request."""

import logging
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import resolve

from tests.core.urls_erreurs import PanneSimulee

EN_TETE_DSFR = '<header role="banner" class="fr-header">'


@pytest.fixture(params=[False, True], ids=["production", "demo-debug"])
def mode(request, settings) -> bool:
    """Each test runs with DEBUG off (production) and on (``isoloir demo``). Set on the
    settings, so it holds when the request is handled."""
    settings.DEBUG = request.param
    return bool(request.param)


def page_francaise(reponse, statut: int, titre: str) -> str:
    assert reponse.status_code == statut
    assert reponse["Content-Type"].startswith("text/html")
    contenu = reponse.content.decode()
    assert f"<h1>{titre}</h1>" in contenu
    assert f"Erreur {statut}" in contenu
    assert '<html lang="fr"' in contenu
    assert EN_TETE_DSFR in contenu
    assert "Traceback" not in contenu
    return contenu


@pytest.mark.django_db
def test_page_introuvable(client, mode) -> None:
    contenu = page_francaise(client.get("/portail/nulle-part/"), 404, "Page introuvable")
    assert "République<br>française" in contenu
    # Django's technical 404 (DEBUG) is in English and lists every URL of the site.
    assert "Page not found" not in contenu
    assert "URLconf" not in contenu
    assert "back-office/" not in contenu


@pytest.mark.django_db
def test_page_introuvable_levee_par_une_vue(client, mode) -> None:
    # A claim that does not exist: the view raises Http404 itself.
    reponse = client.get("/portail/reclamations/999999/")
    contenu = page_francaise(reponse, 404, "Page introuvable")
    assert "Page not found" not in contenu


@pytest.mark.django_db
def test_une_adresse_sans_sa_barre_finale_redirige_toujours(client, mode) -> None:
    reponse = client.get("/portail/connexion")
    assert reponse.status_code == 301
    assert reponse["Location"] == "/portail/connexion/"


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_erreurs")
def test_acces_refuse(client, mode) -> None:
    page_francaise(client.get("/essai/refus/"), 403, "Accès refusé")


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_erreurs")
def test_requete_invalide(client, mode) -> None:
    contenu = page_francaise(client.get("/essai/requete-invalide/"), 400, "Requête invalide")
    assert "paramètre illisible" not in contenu  # the exception's text is for the logs


@pytest.mark.django_db
def test_methode_non_autorisee(client, mode) -> None:
    # The logout only accepts POST (require_POST): a GET got an empty 405.
    reponse = client.get("/portail/deconnexion/")
    page_francaise(reponse, 405, "Action non autorisée sur cette page")
    assert reponse["Allow"] == "POST"


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_erreurs")
def test_erreur_du_service(mode, caplog) -> None:
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        reponse = client.get("/essai/panne/")
    contenu = page_francaise(reponse, 500, "Erreur du service")
    assert "panne simulée" not in contenu
    # The traceback still goes to the logs, for whoever runs the service.
    erreurs = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert erreurs
    assert erreurs[0].exc_info is not None
    assert erreurs[0].exc_info[0] is PanneSimulee


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_erreurs")
def test_erreur_du_service_remonte_aux_tests(mode) -> None:
    # Tests (and monitoring hooked on got_request_exception) still see the exception.
    with pytest.raises(PanneSimulee):
        Client().get("/essai/panne/")


def test_erreur_du_service_sans_requete(settings) -> None:
    settings.ISOLOIR_MARQUE = "Ministère|de l'Éducation|nationale"
    page = render_to_string("500.html")
    assert "<h1>Erreur du service</h1>" in page
    assert "Ministère<br>de l&#x27;Éducation<br>nationale" in page
    assert EN_TETE_DSFR in page
    # Its links are written out (no URL reversing there): they must still lead somewhere.
    for lien in re.findall(r'href="(/[^"]*)"', page):
        if not lien.startswith("/static/"):
            resolve(lien)


def test_erreur_du_service_meme_si_les_adresses_sont_cassees(settings) -> None:
    # The 500 page is plain: no URL to reverse, no database, no context processor. The
    # failure it reports may be in any of them.
    settings.ROOT_URLCONF = "tests.core.urls_vides"
    page = render_to_string("500.html")
    assert "<h1>Erreur du service</h1>" in page


@pytest.mark.django_db
def test_formulaire_sans_jeton_csrf(mode) -> None:
    client = Client(enforce_csrf_checks=True)
    reponse = client.post("/portail/connexion/", {"email": "a@b.fr", "mot_de_passe": "x"})
    page_francaise(reponse, 403, "Formulaire expiré")


@pytest.mark.django_db
@pytest.mark.urls("tests.core.urls_erreurs")
def test_un_acces_refuse_ne_met_pas_de_trace_dans_la_console(client, mode, caplog) -> None:
    """A 403 is an ordinary answer: one line in the console, not a Python traceback."""
    with caplog.at_level(logging.WARNING):
        client.get("/essai/refus/")
    lignes = []
    for enregistrement in caplog.records:
        # What each console handler configured for this record's loggers prints of it.
        journal: logging.Logger | None = logging.getLogger(enregistrement.name)
        while journal is not None:
            for gestionnaire in journal.handlers:
                if gestionnaire.name == "console" and gestionnaire.filter(enregistrement):
                    lignes.append(gestionnaire.format(enregistrement))
            journal = journal.parent if journal.propagate else None
    assert any("Forbidden (Permission denied): /essai/refus/" in ligne for ligne in lignes)
    assert not any("Traceback" in ligne for ligne in lignes), "\n".join(lignes)
