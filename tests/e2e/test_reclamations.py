"""A claim about the roll, in a real browser, from both sides.

The voter logs in and files a claim (« I am missing from the CAP's roll ») with a PDF,
keyboard only apart from the file chooser; the confirmation page gives the receipt
number. An administrator logs in with their second factor, opens the claim, takes it in
hand and accepts it. The voter then reads « Acceptée » in their claims. A person with no
account opens the anonymous form. Every page: screenshot and zero axe violation.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from isoloir.accounts.models import Compte, Electeur
from isoloir.core import horloge
from isoloir.elections.models import Inscription, Scrutin
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import (
    compte_de_gestion,
    envoyer,
    remplir_la_connexion,
    saisir,
    se_connecter_a_la_gestion,
    suivre,
)
from tests.factories import MOT_DE_PASSE
from tests.reclamations.conftest import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

EMAIL_ELECTEUR = "sophie.campodifiori@ac-lyon.fr"
EMAIL_GESTION = "gestion@education.gouv.fr"


@pytest.fixture
def roles(creer_campagne, creer_scrutin, creer_electeur) -> tuple[Electeur, Scrutin]:
    campagne = creer_campagne(
        nom="Élections professionnelles 2026",
        ouverture=horloge.maintenant() + timedelta(days=20),
        publication_des_listes=horloge.maintenant() - timedelta(days=1),
    )
    csa = creer_scrutin(campagne, intitule="CSA académique de Lyon", ordre=1)
    cap = creer_scrutin(campagne, intitule="CAP des professeurs certifiés", ordre=2)
    electeur = creer_electeur(csa, email=EMAIL_ELECTEUR, active=True)
    return electeur, cap


@pytest.fixture
def administrateur() -> Compte:
    return compte_de_gestion(EMAIL_GESTION, RoleDeGestion.ADMINISTRATION, nom="Agnès Gestion")


def test_reclamation_deposee_puis_acceptee(
    ouvrir_visite, roles, administrateur: Compte, tmp_path: Path
) -> None:
    electeur, cap = roles

    # --- The voter files a claim. -----------------------------------------------------------
    visite = ouvrir_visite()
    page = visite.page
    remplir_la_connexion(visite, "/portail/reclamations/nouvelle/", EMAIL_ELECTEUR, MOT_DE_PASSE)
    envoyer(visite, re.compile(r"/portail/reclamations/nouvelle/$"))
    assert visite.titre_principal() == "Formuler une réclamation"
    visite.controler_aux_largeurs("reclamation-formulaire")

    tabuler_jusqua(page, "#id_type_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_type_0")).to_be_checked()
    tabuler_jusqua(page, "#id_scrutin")
    page.keyboard.press("ArrowDown")  # CSA académique de Lyon
    page.keyboard.press("ArrowDown")  # CAP des professeurs certifiés
    expect(page.locator("#id_scrutin")).to_have_value(str(cap.pk))
    saisir(visite, "#id_explication", "Je suis professeure certifiée depuis 2019.")
    justificatif = tmp_path / "arrêté d'affectation.pdf"
    justificatif.write_bytes(PDF)
    page.locator("#id_pieces").set_input_files(str(justificatif))
    suivre(visite, "#envoyer", re.compile(r"/portail/reclamations/\d+/$"))
    assert visite.titre_principal() == "Réclamation enregistrée"
    recepisse = page.locator("#recepisse").inner_text()
    assert re.fullmatch(rf"R-{horloge.maintenant().year}-00001|R-\d{{4}}-00001", recepisse)
    expect(page.locator("main")).to_contain_text("arrete-d-affectation.pdf")
    visite.controler_aux_largeurs("reclamation-confirmation")

    suivre(visite, "a[href='/portail/reclamations/']", re.compile(r"/portail/reclamations/$"))
    expect(page.locator("tbody tr").first).to_contain_text("Déposée")
    visite.controler_aux_largeurs("reclamations-de-l-electeur")

    # --- The administrator decides. ---------------------------------------------------------
    gestion = ouvrir_visite()
    page = gestion.page
    se_connecter_a_la_gestion(gestion, administrateur, "/gestion/reclamations/")
    assert gestion.titre_principal() == "Réclamations sur les listes électorales"
    expect(page.locator("#compte-deposee")).to_have_text("Déposée : 1")
    gestion.controler("gestion-reclamations")

    suivre(gestion, f"a:text('{recepisse}')", re.compile(r"/gestion/reclamations/\d+/$"))
    assert gestion.titre_principal() == f"Réclamation {recepisse}"
    expect(page.locator("main")).to_contain_text("arrete-d-affectation.pdf")
    gestion.controler("gestion-reclamation")

    suivre(gestion, "#prendre-en-charge", re.compile(r"/gestion/reclamations/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text(
        f"Vous instruisez la réclamation {recepisse}"
    )
    expect(page.locator("#prendre-en-charge")).to_have_count(0)
    gestion.controler("gestion-reclamation-en-cours")

    saisir(gestion, "#id_acceptation-motif", "Affectation vérifiée auprès du rectorat.")
    suivre(gestion, "#accepter", re.compile(r"/gestion/reclamations/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("est acceptée")
    gestion.controler("gestion-reclamation-acceptee")
    assert Inscription.objects.filter(electeur=electeur, scrutin=cap).exists()

    # --- The voter reads the decision. ------------------------------------------------------
    page = visite.page
    page.reload()
    ligne = page.locator("tbody tr").first
    expect(ligne).to_contain_text("Acceptée")
    expect(ligne).to_contain_text("Affectation vérifiée auprès du rectorat.")
    visite.controler("reclamations-acceptee")

    # Once the period is over, the form gives way to its dates.
    with horloge.decalee_de(timedelta(days=12)):
        page.goto(visite.url("/portail/reclamations/nouvelle/"))
        expect(page.get_by_role("heading", name="Réclamations fermées")).to_be_visible()
        expect(page.locator("main")).to_contain_text("ce délai est expiré")
        visite.controler("reclamation-fermee")

    # An account on no roll (the administrator's) is sent to the form without account.
    page = gestion.page
    page.goto(gestion.url("/portail/reclamations/nouvelle/"))
    expect(page.locator("main")).to_contain_text("ne figure sur aucune liste électorale")
    gestion.controler("reclamation-compte-sans-inscription")


def test_formulaire_sans_compte(visite: Visite, roles) -> None:
    page = visite.page
    page.goto(visite.url("/portail/reclamations/sans-compte/"))
    assert visite.titre_principal() == "Réclamation d'une personne absente des listes électorales"
    visite.controler("reclamation-sans-compte")
    # A keyboard user reaches the CAPTCHA and the button; sending it empty brings the
    # messages back by the fields.
    tabuler_jusqua(page, "#id_captcha_1", maximum=120)
    suivre(visite, "#envoyer", re.compile(r"/portail/reclamations/sans-compte/$"))
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(page.locator("#id_nom_naissance")).to_have_attribute("aria-invalid", "true")
    visite.controler_aux_largeurs("reclamation-sans-compte-erreurs")
