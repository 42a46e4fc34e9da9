"""The administration names its portal (issue 12, point 17): from the back-office's menu,
keyboard only, to « Présentation du portail », a wrong bloc-marque first (a French message
on the field), then the ministry's, at once in the header. Every page: screenshot and zero
axe-core violation."""

import re

import pytest
from playwright.sync_api import expect

from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.gestion import compte_de_gestion, saisir, se_connecter_a_la_gestion, suivre

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_l_administration_nomme_son_portail(ouvrir_visite, settings) -> None:
    settings.ISOLOIR_MARQUE = "République|française"
    administratrice = compte_de_gestion(
        "claire.martin@education.gouv.fr", RoleDeGestion.ADMINISTRATION
    )
    visite = ouvrir_visite()
    page = visite.page
    se_connecter_a_la_gestion(visite, administratrice)

    suivre(
        visite,
        "#navigation-principale a[href='/gestion/portail/']",
        re.compile("/gestion/portail/$"),
    )
    assert visite.titre_principal() == "Présentation du portail"
    expect(page.locator("#id_marque")).to_have_value("République\nfrançaise")
    visite.controler("gestion-presentation")

    saisir(visite, "#id_marque", "Ministère<br>de l'Éducation nationale")
    suivre(visite, "main button[type=submit]", re.compile("/gestion/portail/$"))
    expect(page.locator("#id_marque-erreur")).to_contain_text("sans balise HTML")
    visite.controler("gestion-presentation-erreur")

    saisir(visite, "#id_marque", "Ministère")
    page.keyboard.press("Enter")  # a new line in the textarea
    page.keyboard.type("de l'Éducation")
    page.keyboard.press("Enter")
    page.keyboard.type("nationale")
    suivre(visite, "main button[type=submit]", re.compile("/gestion/portail/$"))
    expect(page.locator(".fr-alert--success")).to_contain_text(
        "La marque du portail est enregistrée."
    )
    expect(page.locator("header .fr-logo")).to_have_text("Ministèrede l'Éducationnationale")
    visite.controler("gestion-presentation-enregistree")
