"""The roll import in a real browser, keyboard only.

An administrator logs in with their second factor, uploads a roll file, sees the progress
page, then (the worker having run) the differences, applies them, follows the progress to
the end; then uploads a changed file and sees only the differences; then a wrong file and
its errors. Every page: screenshot and zero axe violation.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from isoloir.accounts.models import Compte
from isoloir.elections.models import Inscription
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import compte_de_gestion, envoyer, se_connecter_a_la_gestion
from tests.elections.test_import_liste import CODES, ligne, ligne_b, texte_csv
from tests.elections.test_import_reclamations import (
    campagne_ouverte_aux_reclamations,
    fichier_rh,
    importer_puis_accepter_deux_reclamations,
)
from tests.factories import numen_de

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "administration@education.gouv.fr"


@pytest.fixture
def campagne(creer_campagne, creer_scrutin):
    campagne = creer_campagne(nom="Élections professionnelles 2026", slug="elections-2026")
    for code in CODES:
        creer_scrutin(campagne, code=code)
    return campagne


@pytest.fixture
def administration() -> Compte:
    return compte_de_gestion(EMAIL, RoleDeGestion.ADMINISTRATION)


def _travailler() -> None:
    """The task worker's turn: the check or the application runs."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def _deposer(visite: Visite, fichier: Path) -> None:
    page = visite.page
    tabuler_jusqua(page, "#id_fichier")
    # A file chooser is the system's dialog: Playwright fills it as the user would pick.
    page.locator("#id_fichier").set_input_files(str(fichier))
    tabuler_jusqua(page, "#bouton-verifier")
    envoyer(visite, re.compile(r"/liste-electorale/imports/\d+/$"))


def test_import_puis_reimport_au_clavier(ouvrir_visite, campagne, administration, tmp_path) -> None:
    lignes = [
        ligne(
            numen=numen_de(800 + i),
            email_professionnel=f"agent{i}@ac-lyon.fr",
            nom_naissance=f"Martin{i}",
        )
        for i in range(5)
    ]
    premier = tmp_path / "liste-2026.csv"
    premier.write_text(texte_csv(*lignes), encoding="utf-8")

    visite = ouvrir_visite()
    page = visite.page
    se_connecter_a_la_gestion(
        visite, administration, f"/gestion/campagnes/{campagne.slug}/liste-electorale/"
    )
    assert visite.titre_principal() == "Liste électorale"
    visite.controler("import-liste-depot")

    # Upload: the progress page, then the differences once the worker has checked.
    _deposer(visite, premier)
    assert visite.titre_principal() == "Import du fichier liste-2026.csv"
    expect(page.locator("#barre-import")).to_be_visible()
    expect(page.locator("#progression")).to_contain_text("En attente de vérification")
    visite.controler("import-liste-progression")
    _travailler()
    expect(page.locator("h2.fr-alert__title")).to_have_text(
        "Fichier vérifié : 5 électeurs concernés"
    )
    assert Inscription.objects.count() == 0
    visite.controler("import-liste-differences")

    tabuler_jusqua(page, "#bouton-appliquer")
    envoyer(visite, re.compile(r"/liste-electorale/imports/\d+/$"))
    expect(page.locator("#progression")).to_contain_text("partiellement mise à jour")
    visite.controler("import-liste-application")
    _travailler()
    expect(page.locator("h2.fr-alert__title")).to_have_text("Liste électorale mise à jour")
    assert Inscription.objects.count() == 10
    visite.controler("import-liste-appliquee")

    # A changed file: one moves, one leaves, one arrives. Only they are shown.
    lignes[0]["etablissement"] = "Collège Jean Moulin"
    parti = lignes.pop(1)
    lignes.append(ligne_b())
    second = tmp_path / "liste-2026-v2.csv"
    second.write_text(texte_csv(*lignes), encoding="utf-8")
    tabuler_jusqua(page, "a[href$='/liste-electorale/']:has-text('Importer un autre fichier')")
    envoyer(visite, re.compile(r"/liste-electorale/$"))
    _deposer(visite, second)
    _travailler()
    expect(page.locator("h2.fr-alert__title")).to_have_text(
        "Fichier vérifié : 3 électeurs concernés"
    )
    principal = page.locator("main")
    for categorie, nombre in [
        ("Électeurs ajoutés", "1"),
        ("Électeurs modifiés", "1"),
        ("Électeurs retirés", "1"),
        ("Électeurs inchangés", "3"),
    ]:
        rang = principal.locator("tr").filter(has=page.locator("th", has_text=categorie))
        expect(rang.first.locator("td")).to_have_text(nombre)
    expect(principal).to_contain_text(parti["nom_naissance"])
    expect(principal).to_contain_text("établissement")
    expect(principal).not_to_contain_text("Martin2")  # unchanged voters are only counted
    visite.controler("import-liste-reimport-differences")
    tabuler_jusqua(page, "#bouton-appliquer")
    envoyer(visite, re.compile(r"/liste-electorale/imports/\d+/$"))
    _travailler()
    expect(page.locator("h2.fr-alert__title")).to_have_text("Liste électorale mise à jour")
    assert Inscription.objects.count() == 10

    # A wrong file: the errors, row by row, and their CSV.
    faux = tmp_path / "liste-fausse.csv"
    faux.write_text(texte_csv(ligne(civilite="Mlle"), ligne_b(date_naissance="31/02/1980")))
    page.goto(visite.url(f"/gestion/campagnes/{campagne.slug}/liste-electorale/"))
    _deposer(visite, faux)
    _travailler()
    expect(page.locator("h2.fr-alert__title").first).to_have_text("Fichier refusé : 2 erreurs")
    expect(page.locator("main table")).to_contain_text("Cette date n'existe pas.")
    visite.controler("import-liste-refus")
    tabuler_jusqua(page, "a[download]")
    with page.expect_download() as telechargement:
        page.keyboard.press("Enter")
    contenu = Path(telechargement.value.path()).read_text(encoding="utf-8-sig")
    assert "Civilité « Mlle » inconnue" in contenu


def test_reimport_nomme_les_inscrits_par_reclamation_et_applique_le_choix_au_clavier(
    ouvrir_visite, creer_campagne, creer_scrutin, administration, tmp_path
) -> None:
    """HR's file, after two accepted claims, does not list what they added: the page names
    those voters in a warning, the keyboard picks « retirer », and that is what is done."""
    campagne = campagne_ouverte_aux_reclamations(creer_campagne, creer_scrutin)
    importer_puis_accepter_deux_reclamations(campagne, administration)
    fichier = tmp_path / "liste-rh.csv"
    fichier.write_bytes(fichier_rh().getvalue())

    visite = ouvrir_visite()
    page = visite.page
    se_connecter_a_la_gestion(
        visite, administration, f"/gestion/campagnes/{campagne.slug}/liste-electorale/"
    )
    _deposer(visite, fichier)
    _travailler()
    alerte = page.locator("#retraits-reclames")
    expect(alerte).to_contain_text("Le fichier retire 2 inscriptions ajoutées par une réclamation")
    tableau = page.locator("table").filter(has_text="Réclamation")
    expect(tableau).to_contain_text("Oubli")
    expect(tableau).to_contain_text("Jean Paul")
    expect(page.locator("#reclamations-conserver")).to_be_checked()
    visite.controler("import-liste-retraits-reclames")

    # Into the radio group (the checked one takes the focus), then the arrow picks the other.
    tabuler_jusqua(page, "#reclamations-conserver", maximum=120)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#reclamations-retirer")).to_be_checked()
    tabuler_jusqua(page, "#bouton-appliquer")
    envoyer(visite, re.compile(r"/liste-electorale/imports/\d+/$"))
    _travailler()
    expect(page.locator("h2.fr-alert__title")).to_have_text("Liste électorale mise à jour")
    expect(page.locator("main")).to_contain_text(
        "2 inscriptions ajoutées par une réclamation acceptée retirées, comme le fichier"
    )
    visite.controler("import-liste-retraits-reclames-appliques")
    assert not Inscription.objects.filter(electeur__nom_naissance="Oubli").exists()
