"""The portal's bloc-marque (issue 12, point 17): stored once for the whole portal, so that
every process shows it, whatever its environment; ``ISOLOIR_MARQUE`` is only the default."""

import os

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from isoloir.core.presentation import enregistrer_marque, marque_du_portail

pytestmark = pytest.mark.django_db

MINISTERE = ("Ministère", "de l'Éducation", "nationale")
EN_TETE_DU_MINISTERE = "Ministère<br>de l&#x27;Éducation<br>nationale"


@pytest.fixture(autouse=True)
def _sans_variable_d_environnement(settings: Settings) -> None:
    # A fresh process of ``isoloir serve``: nothing in its environment names the ministry.
    assert "ISOLOIR_MARQUE" not in os.environ
    settings.ISOLOIR_MARQUE = "République|française"


@pytest.mark.parametrize(
    "adresse", ["/portail/connexion/", "/portail/mot-de-passe-oublie/", "/portail/nulle-part/"]
)
def test_l_en_tete_montre_la_marque_enregistree(client, adresse: str) -> None:
    enregistrer_marque(MINISTERE)
    cache.clear()  # another process: it has never read the marque

    page = client.get(adresse).content.decode()

    assert page.count(EN_TETE_DU_MINISTERE) == 2  # the header and the footer
    assert "République<br>française" not in page


def test_sans_marque_enregistree_la_configuration_donne_la_sienne(client) -> None:
    assert marque_du_portail() == ("République", "française")
    assert "République<br>française" in client.get("/portail/connexion/").content.decode()


def test_une_marque_changee_se_voit_aussitot(client) -> None:
    client.get("/portail/connexion/")  # the default is now in the cache
    enregistrer_marque(["Ministère de l'Agriculture", "et de la Souveraineté alimentaire"])

    page = client.get("/portail/connexion/").content.decode()

    assert "Ministère de l&#x27;Agriculture<br>et de la Souveraineté alimentaire" in page


def test_une_marque_videe_rend_celle_de_la_configuration() -> None:
    enregistrer_marque(MINISTERE)
    enregistrer_marque([])
    assert marque_du_portail() == ("République", "française")


def test_une_page_lit_la_marque_une_fois_au_plus() -> None:
    """The header and the footer both show it; the request reads it once, and from the
    cache afterwards: not a query per tag, nor per request once cached."""
    enregistrer_marque(MINISTERE)
    cache.clear()
    gabarit = Template("{% load isoloir %}{% marque %}|{% marque %}")
    premiere = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as lectures:
        rendu = gabarit.render(Context({"request": premiere}))
    assert rendu == f"{EN_TETE_DU_MINISTERE}|{EN_TETE_DU_MINISTERE}"
    sur_la_presentation = [q for q in lectures if "core_presentationduportail" in q["sql"]]
    assert len(sur_la_presentation) == 1

    with CaptureQueriesContext(connection) as lectures:
        gabarit.render(Context({"request": RequestFactory().get("/")}))
    assert not [q for q in lectures if "core_presentationduportail" in q["sql"]]
