"""A campaign mailing in a real browser, keyboard only.

An administrator logs in with their password and their authenticator's code, opens the
campaign's mail dashboard, prepares the activation mailing, reads on the confirmation
step how many voters it reaches, confirms, and watches the dashboard's counts reach
« envoyés » while the worker sends through the loopback SMTP server, without reloading
the page (its script polls the JSON state). Every page: screenshot and zero axe violation.
"""

import re

import pytest
from playwright.sync_api import Locator, expect

from isoloir.accounts.models import Compte
from isoloir.envois.models import EnvoiDeMasse
from isoloir.gestion.roles import RoleDeGestion
from isoloir.notify.models import Courriel, EtatCourriel
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import compte_de_gestion, envoyer, se_connecter_a_la_gestion, suivre

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "admin.elections@education.gouv.fr"


@pytest.fixture
def campagne(creer_campagne, creer_scrutin, creer_electeur):
    campagne = creer_campagne(nom="Élections professionnelles 2026", slug="ep-2026")
    scrutin = creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
    for n in range(4):
        creer_electeur(scrutin, email=f"agent{n}@ac-exemple.fr")
    creer_electeur(scrutin, active=True)
    return campagne


@pytest.fixture
def administratrice() -> Compte:
    return compte_de_gestion(EMAIL, RoleDeGestion.ADMINISTRATION, nom="Administratrice")


def test_lancer_l_activation_et_suivre_l_envoi(
    visite: Visite, campagne, administratrice, boite, executer_taches, live_server, settings
) -> None:
    settings.ISOLOIR_BASE_URL = live_server.url
    page = visite.page
    tableau = f"/gestion/campagnes/{campagne.slug}/courriels/"

    # The page's timers run on Playwright's clock, which flows as usual until moved on.
    page.clock.install()

    # --- Login and second factor. -------------------------------------------------------
    se_connecter_a_la_gestion(visite, administratrice, tableau)

    # --- The dashboard, nothing sent yet. -----------------------------------------------
    assert visite.titre_principal() == "Courriels — Élections professionnelles 2026"
    expect(page.locator("#resume-envois")).to_have_text("Aucun envoi pour cette campagne.")
    expect(page.locator("#annonce-envois")).to_have_attribute("aria-live", "polite")
    visite.controler("courriels-tableau")

    # --- Confirmation step. -------------------------------------------------------------
    suivre(visite, "#preparer-activation", re.compile(rf"{tableau}lancer/activation/$"))
    assert visite.titre_principal() == "Confirmer l'envoi : Activation des comptes"
    expect(page.locator(".fr-callout__title")).to_have_text("4 électeurs recevront ce courriel")
    visite.controler("courriels-confirmation")
    tabuler_jusqua(page, "#confirmer-envoi")
    expect(page.locator("#confirmer-envoi")).to_have_text("Envoyer à 4 électeurs")
    envoyer(visite, re.compile(rf"{tableau}$"))

    # --- The mailing runs; the page follows it without reloading. ------------------------
    expect(page.get_by_role("status")).to_contain_text("lancé pour 4 électeurs.")
    ligne = page.locator("tr[data-envoi]")
    expect(ligne).to_have_count(1)
    cle = f"envoi-{ligne.get_attribute('data-envoi')}"

    def cellule(colonne: str) -> Locator:
        return ligne.locator(f'[data-progression-valeur="{cle}-{colonne}"]')

    expect(cellule("statut")).to_have_text("Préparation des lots")
    visite.controler("courriels-envoi-lance")
    page.evaluate("() => { window.marqueur = 'même page'; }")

    executer_taches()
    assert len(boite.attendre(4)) == 4
    envoi = EnvoiDeMasse.objects.get()
    assert envoi.termine_le is not None
    assert Courriel.objects.filter(envoi=envoi, etat=EtatCourriel.ENVOYE).count() == 4

    expect(cellule("envoyes")).to_have_text("4")
    expect(cellule("statut")).to_have_text("Terminé")
    expect(cellule("en_attente")).to_have_text("0")
    expect(ligne.locator("progress")).to_have_attribute("value", "100")
    expect(ligne.locator(f'[data-progression-texte="{cle}"]')).to_have_text("100 %")
    expect(page.locator("#resume-envois")).to_have_text("Tous les envois sont terminés.")
    assert page.evaluate("window.marqueur") == "même page"  # updated in place
    # The live region does not speak at every poll: not before 30 s since the page loaded,
    # then once, with the latest summary.
    expect(page.locator("#annonce-envois")).to_have_text("")
    visite.controler("courriels-envoyes")
    page.clock.fast_forward("00:31")
    expect(page.locator("#annonce-envois")).to_have_text("Tous les envois sont terminés.")
