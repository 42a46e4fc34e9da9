"""Assistance in a real browser, keyboard only.

A person who cannot log in files a request from the phone page; a helpdesk member logs in
with the second factor, finds the voter, checks the caller's identity, lifts the réassort
lock, then takes and answers the request. Every page: screenshot and zero axe violation.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from isoloir.accounts.models import Compte, Electeur
from isoloir.assistance.models import DemandeAssistance, ReponseAssistance, Statut
from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.gestion.roles import RoleDeGestion
from isoloir.votecode import reassort
from tests.e2e.conftest import tabuler_jusqua
from tests.e2e.gestion import (
    compte_de_gestion,
    envoyer,
    saisir,
    se_connecter_a_la_gestion,
    suivre,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL_ELECTEUR = "marc.campodifiori@ac-lyon.fr"
EMAIL_AGENT = "agent.assistance@education.gouv.fr"


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_electeur, settings) -> Electeur:
    campagne = creer_campagne(
        nom="Élections professionnelles 2026", ouverture=horloge.maintenant() - timedelta(hours=1)
    )
    electeur = creer_electeur(
        creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale"),
        active=True,
        email=EMAIL_ELECTEUR,
        nom_naissance="Campodifiori",
        prenoms="Marc",
        civilite="M.",
        date_naissance=date(1977, 5, 4),
        commune_naissance="13055",
        etablissement="Lycée Victor Hugo",
    )
    # Five failed réassort tries today: the lock is on.
    for _ in range(settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR):
        reassort.limites.compter(reassort._limite_par_electeur(), str(electeur.pk))
    assert reassort.est_verrouille(electeur)
    return electeur


@pytest.fixture
def agent() -> Compte:
    return compte_de_gestion(EMAIL_AGENT, RoleDeGestion.ASSISTANCE, nom="Agent Assistance")


def test_demande_puis_deverrouillage_et_reponse(
    ouvrir_visite, electeur, agent, boite, executer_taches, live_server, settings
) -> None:
    settings.ISOLOIR_BASE_URL = live_server.url
    # --- A person who cannot log in writes to the helpdesk. ----------------------------
    visite = ouvrir_visite()
    page = visite.page
    page.goto(visite.url("/portail/assistance-telephonique/"))
    assert visite.titre_principal() == "Assistance téléphonique"
    expect(page.locator("main")).to_contain_text("L'assistance ne vous demandera jamais")
    visite.controler("assistance-telephonique")
    suivre(visite, "main a[href='/portail/assistance/demande/']", re.compile(r"/demande/$"))
    assert visite.titre_principal() == "Formulaire de demande d'assistance"
    visite.controler("assistance-formulaire")

    saisir(visite, "#id_nom", "Marc Campodifiori")
    saisir(visite, "#id_email", EMAIL_ELECTEUR)
    saisir(visite, "#id_telephone", "04 72 00 00 00")
    tabuler_jusqua(page, "#id_categorie")
    for _ in range(3):  # Choisissez, Activation, Mot de passe, then Code de vote
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_categorie")).to_have_value("code_de_vote")
    # First with a code de vote in the message: refused, with the reason.
    saisir(visite, "#id_message", "Réassort bloqué. Mon code : Ab3$xY7#kL9&mN2?")
    saisir(visite, "#id_captcha_1", "PASSED")
    envoyer(visite, re.compile(r"/portail/assistance/demande/$"))
    expect(page.locator("#id_message-erreur")).to_contain_text("semble contenir un code de vote")
    visite.controler("assistance-formulaire-code-refuse")
    saisir(visite, "#id_message", "Mon réassort est bloqué après plusieurs essais.")
    saisir(visite, "#id_captcha_1", "PASSED")
    envoyer(visite, re.compile(r"/portail/assistance/demande/envoyee/$"))
    numero = page.locator("#numero-demande").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", numero)
    visite.controler("assistance-demande-envoyee")
    demande = DemandeAssistance.objects.get(numero=numero)
    assert "code :" not in demande.message

    # --- A helpdesk member: login, second factor, the voter. ---------------------------
    visite = ouvrir_visite()
    page = visite.page
    se_connecter_a_la_gestion(visite, agent, "/gestion/assistance/electeurs/")
    assert visite.titre_principal() == "Rechercher un électeur"
    visite.controler("assistance-gestion-recherche")

    saisir(visite, "#id_q", "campodifiori marc")
    envoyer(visite, re.compile(r"/gestion/assistance/electeurs/\?q="))
    expect(page.locator("caption")).to_have_text("Électeurs trouvés, page 1")
    visite.controler("assistance-gestion-resultats")
    suivre(visite, f"a[href='/gestion/assistance/electeurs/{electeur.pk}/']", re.compile(r"/\d+/$"))
    expect(page.locator("#etat-verrou")).to_have_text("Verrouillé")
    visite.controler("assistance-gestion-electeur")

    # A wrong place first: refused, the lock stays.
    saisir(visite, "#id_date_naissance", "04/05/1977")
    saisir(visite, "#id_lieu_naissance", "75056")
    envoyer(visite, re.compile(r"/deverrouiller/$"))
    expect(page.get_by_role("alert")).to_contain_text("ne correspondent pas")
    visite.controler("assistance-gestion-identite-discordante")
    saisir(visite, "#id_date_naissance", "04/05/1977")
    saisir(visite, "#id_lieu_naissance", "13055")
    envoyer(visite, re.compile(rf"/electeurs/{electeur.pk}/$"))
    expect(page.get_by_role("status").first).to_contain_text("le verrou du réassort est levé")
    expect(page.locator("#etat-verrou")).to_have_text("Non verrouillé")
    visite.controler("assistance-gestion-verrou-leve")
    assert not reassort.est_verrouille(electeur)

    # --- The request: from the voter's page, take it, answer it. ----------------------
    suivre(visite, f"a[href='/gestion/assistance/demandes/{demande.pk}/']", re.compile(r"/\d+/$"))
    assert visite.titre_principal() == f"Demande n° {numero}"
    visite.controler("assistance-gestion-demande")
    suivre(visite, "button:has-text('Prendre en charge')", re.compile(rf"/demandes/{demande.pk}/$"))
    visite.controler("assistance-gestion-demande-prise")
    saisir(visite, "#id_texte", "Votre réassort est débloqué : vous pouvez le refaire.")
    tabuler_jusqua(page, "button:has-text('Envoyer la réponse')")
    envoyer(visite, re.compile(rf"/demandes/{demande.pk}/$"))
    expect(page.get_by_role("status").first).to_contain_text("envoyée par courriel")
    visite.controler("assistance-gestion-demande-repondue")
    tabuler_jusqua(page, "button:has-text('Clore la demande')")
    envoyer(visite, re.compile(rf"/demandes/{demande.pk}/$"))
    demande.refresh_from_db()
    assert demande.statut == Statut.RESOLUE and demande.prise_par == agent
    assert ReponseAssistance.objects.get().canal == "courriel"

    # The list, filtered on resolved requests, by keyboard.
    suivre(visite, "a.fr-nav__link[href='/gestion/assistance/']", re.compile(r"/assistance/$"))
    tabuler_jusqua(page, "#id_statut")
    page.keyboard.press("End")
    expect(page.locator("#id_statut")).to_have_value("resolue")
    tabuler_jusqua(page, "button:has-text('Filtrer')")  # Enter on a list does not send
    envoyer(visite, re.compile(r"statut=resolue"))
    expect(page.locator("tbody")).to_contain_text(numero)
    visite.controler("assistance-gestion-demandes")

    executer_taches()
    sujets = sorted(m["Subject"] for m in boite.messages)
    assert sujets == sorted(
        [
            f"Demande d'assistance n° {numero} reçue",
            "Le réassort de votre code de vote est débloqué",
            f"Réponse à votre demande d'assistance n° {numero}",
        ]
    )
    types = set(Evenement.objects.values_list("type", flat=True))
    assert {
        "assistance.demande",
        "assistance.consultation",
        "assistance.verification_identite",
        "assistance.deverrouillage",
        "assistance.prise",
        "assistance.reponse",
        "assistance.cloture",
    } <= types
