"""An unknown address in the demo (DEBUG on): the French DSFR 404, not Django's English
page listing every URL; screenshot and zero axe-core violations (see ``conftest.py``)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Visite

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_adresse_inconnue_dans_la_demo(visite: Visite, settings) -> None:
    settings.DEBUG = True  # as ``isoloir demo`` runs; read by the live server per request
    page = visite.page
    reponse = page.goto(visite.url("/portail/une-adresse-qui-n-existe-pas/"))
    assert reponse is not None
    assert reponse.status == 404
    # The page itself answers 404 on purpose (Chromium says so in the console too); its
    # CSS, icons and scripts must not fail.
    visite.requetes_echouees.remove(f"{page.url} : HTTP 404")
    visite.erreurs_console[:] = [
        e for e in visite.erreurs_console if f"'url': '{page.url}'" not in e
    ]
    assert visite.titre_principal() == "Page introuvable"
    expect(page).to_have_title("Page introuvable — Élections professionnelles")
    corps = page.locator("body")
    expect(corps).not_to_contain_text("Page not found")
    expect(corps).not_to_contain_text("back-office/")
    visite.controler("erreur-404")
    page.get_by_role("link", name="Retour à l'accueil du portail").click()
    expect(page.locator("h1")).to_have_text("Connexion au portail Élections")
