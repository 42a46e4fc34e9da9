"""The voter's first visit, in a real browser: activation link, password, login, portal.

The activation mail goes through the task worker and the loopback SMTP server; the link
read from it is opened in Chromium. Every screen is screenshotted and checked by axe-core
(see ``conftest.py``).
"""

import re

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from isoloir.accounts import services
from isoloir.accounts.models import Electeur
from isoloir.elections.models import Candidat
from tests.e2e.conftest import ECRAN_TELEPHONE, Visite, tabuler_jusqua
from tests.factories import MOT_DE_PASSE
from tests.smtp import lien

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

REPONSE_SECRETE = "Bouboule le hamster"

# The home page's links, by their text, and what the page they open is about.
LIENS_ACCUEIL = [
    ("Édito", "edito", "Édito"),
    ("Assistance téléphonique", "assistance-telephonique", "Assistance téléphonique"),
    # The form itself, not the page about assistance (issue 12, item 5).
    (
        "Formulaire de demande d'assistance",
        "demande-assistance",
        "Formulaire de demande d'assistance",
    ),
    (
        "Consulter les listes électorales de mes scrutins",
        "listes-electorales",
        "Listes électorales de mes scrutins",
    ),
    (
        "Consulter mes scrutins (ceux pour lesquels je suis électeur) et leurs listes de candidats",
        "mes-scrutins",
        "Mes scrutins et leurs listes de candidats",
    ),
    ("Formuler une réclamation", "reclamation", "Formuler une réclamation"),
    ("Mes informations personnelles", "mes-informations", "Mes informations personnelles"),
    # As in the reference screens, this line leads to the code de vote.
    ("Consulter les scrutins, les candidatures et voter", "je-vote", "Saisie du code de vote"),
]


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_liste, creer_electeur) -> Electeur:
    campagne = creer_campagne(nom="Élections professionnelles 2026")
    scrutin = creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
    liste = creer_liste(scrutin, sigle="SNE", denomination="Syndicat national de l'exemple")
    Candidat.objects.create(liste=liste, rang=1, civilite="Mme", nom="Durand", prenoms="Alice")
    return creer_electeur(scrutin, email="sophie.campodifiori@ac-exemple.fr")


@pytest.fixture
def lien_activation(electeur, boite, executer_taches, live_server, settings) -> str:
    """The link of the activation mail, really sent: queue, worker, SMTP, mailbox."""
    settings.ISOLOIR_BASE_URL = live_server.url
    with transaction.atomic():
        assert services.envoyer_activation(electeur=electeur)
    executer_taches()
    (message,) = boite.attendre(1)
    assert message["To"] == electeur.compte.email
    url = lien(message, "/portail/activation")
    assert url.startswith(live_server.url + "/portail/activation?token=")
    return url


def _tabuler_vers(page: Page, selecteur: str) -> None:
    """One Tab must move the focus to ``selecteur``: the tab order follows the form."""
    page.keyboard.press("Tab")
    focus = page.evaluate("document.activeElement && document.activeElement.id")
    assert page.locator(selecteur).evaluate("el => el === document.activeElement"), (
        f"après Tab, le focus est sur #{focus} et non sur {selecteur}"
    )


def test_activation_connexion_et_portail(visite: Visite, lien_activation: str) -> None:
    page = visite.page

    # 1. The activation link opens the form, addressed to the voter.
    page.goto(lien_activation)
    expect(page.locator("h1")).to_have_text("Activation de votre compte électeur")
    expect(page.get_by_text("sophie.campodifiori@ac-exemple.fr")).to_be_visible()
    visite.controler_aux_largeurs("activation")

    # 2. A too-short password: the form comes back with a French message by the field.
    page.get_by_label("Mot de passe élections *").fill("court")
    page.get_by_label("Confirmation du mot de passe *").fill("court")
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.locator("#id_mot_de_passe-erreur")).to_contain_text("trop court")
    expect(page.locator("#id_mot_de_passe")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_mot_de_passe")).to_have_value("")  # secrets are not sent back
    visite.controler_aux_largeurs("activation-erreur")

    # 3. The right input, with the keyboard only: Tab to each field, type, Enter. Each
    # secret has the DSFR "Afficher" box right after it (issue 12, item 3): Space shows
    # what was typed, Space again hides it.
    tabuler_jusqua(page, "#id_mot_de_passe")
    page.keyboard.type(MOT_DE_PASSE)
    _tabuler_vers(page, "#id_mot_de_passe-afficher")
    expect(page.locator("#id_mot_de_passe")).to_have_attribute("type", "password")
    page.keyboard.press("Space")
    expect(page.locator("#id_mot_de_passe")).to_have_attribute("type", "text")
    visite.controler("activation-mot-de-passe-affiche")
    page.keyboard.press("Space")
    expect(page.locator("#id_mot_de_passe")).to_have_attribute("type", "password")
    _tabuler_vers(page, "#id_confirmation")
    page.keyboard.type(MOT_DE_PASSE)
    _tabuler_vers(page, "#id_confirmation-afficher")
    _tabuler_vers(page, "#id_question_defi")
    page.keyboard.press("ArrowDown")  # the first question: first pet's name
    expect(page.locator("#id_question_defi")).to_have_value("animal")
    _tabuler_vers(page, "#id_reponse_defi")
    page.keyboard.type(REPONSE_SECRETE)
    page.keyboard.press("Enter")

    # 4. The login page says the account is active.
    page.wait_for_url(re.compile(r"/portail/connexion/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre compte est activé")
    visite.controler_aux_largeurs("connexion-compte-active")

    # 5. Login, keyboard only.
    tabuler_jusqua(page, "#id_email")
    page.keyboard.type("sophie.campodifiori@ac-exemple.fr")
    _tabuler_vers(page, "#id_mot_de_passe")
    page.keyboard.type(MOT_DE_PASSE)
    page.keyboard.press("Enter")

    # 6. The portal's home: four sections and the countdown to the opening.
    page.wait_for_url(re.compile(r"/portail/$"))
    expect(page.get_by_text("Bienvenue sur votre portail Élections")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Élections professionnelles 2026")
    for section in ("Mes informations pratiques", "Mes scrutins", "Mon compte", "Je vote"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    minuteur = page.get_by_role("timer")
    expect(minuteur).to_be_visible()
    expect(minuteur).to_have_accessible_name("Ouverture du vote dans :")
    expect(minuteur.locator("[data-unite=jours]")).to_have_text(re.compile(r"^0[23]$"))
    expect(page.locator("#phrase-compte-a-rebours")).to_contain_text("Le vote ouvre dans")
    visite.controler("accueil")
    accueil = page.url

    # 7. Each link of the home page opens a real page, with one h1.
    contenu = page.locator("main")
    for texte, nom, titre in LIENS_ACCUEIL:
        page.goto(accueil)
        with page.expect_navigation() as navigation:
            contenu.get_by_role("link", name=texte, exact=True).click()
        reponse = navigation.value
        assert reponse is not None and reponse.status == 200, f"{texte} : {reponse}"
        assert visite.titre_principal() == titre
        visite.controler(nom)
        # Folded content (accordions) is skipped by axe: unfold it and check again.
        # DSFR keeps one accordion of a group open, so each is checked in turn.
        boutons = contenu.locator(".fr-accordion__btn")
        for i in range(boutons.count()):
            boutons.nth(i).click()
            expect(boutons.nth(i)).to_have_attribute("aria-expanded", "true")
            expect(
                page.locator(f"#{boutons.nth(i).get_attribute('aria-controls')}")
            ).to_be_visible()
            visite.controler(f"{nom}-volet-{i + 1}")

    # 8. Logout, from the header.
    page.goto(accueil)
    visite.verifier_console("accueil (retour)")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/portail/connexion/$"))
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté.")
    visite.controler("deconnexion")
    page.goto(accueil)
    page.wait_for_url(re.compile(r"/portail/connexion/\?next="))


def test_menu_sur_telephone(ouvrir_visite, creer_scrutin, creer_electeur) -> None:
    """On a phone the header's tools only show in the menu: log in and out through it."""
    electeur = creer_electeur(creer_scrutin(), active=True)
    visite = ouvrir_visite(ECRAN_TELEPHONE)
    page = visite.page
    menu = page.locator("#menu-mobile")

    page.goto(visite.url("/portail/connexion/"))
    expect(page.locator(".fr-header__tools-links")).to_be_hidden()
    visite.controler("telephone-connexion")
    page.get_by_role("button", name="Menu", exact=True).click()
    expect(menu.get_by_role("link", name="Se connecter")).to_be_visible()
    visite.controler("telephone-menu")
    menu.get_by_role("button", name="Fermer").click()
    expect(menu).to_be_hidden()

    page.get_by_label("Adresse électronique professionnelle *").fill(electeur.compte.email)
    page.get_by_label("Mot de passe élections *").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/portail/$"))
    visite.controler("telephone-accueil")

    page.get_by_role("button", name="Menu", exact=True).click()
    for rubrique in ("Accueil", "Mes scrutins", "Je vote", "Assistance", "Mon compte"):
        expect(menu.get_by_role("link", name=rubrique, exact=True)).to_be_visible()
    visite.controler("telephone-menu-connecte")
    menu.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/portail/connexion/$"))
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté.")


def test_axe_signale_les_violations(visite: Visite) -> None:
    """The checker itself: a page with an unlabelled image and field must not pass."""
    visite.page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><main>'
        '<h1>Essai</h1><img src="data:,"><input type="text"></main></body></html>'
    )
    regles = {violation["id"] for violation in visite.axe()}
    assert {"image-alt", "label"} <= regles
