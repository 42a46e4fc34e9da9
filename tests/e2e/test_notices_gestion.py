"""The notices in the back-office, in a real browser, keyboard only.

An administrator logs in with the second factor, launches the generation (the worker runs
meanwhile; the page's script follows the progress and announces the end), downloads one
batch, destroys another, imports an establishment's delivery list (a dry run first), sees
the dashboard, an establishment and one voter's notice, which they set by hand. Every
page: screenshot and zero axe violation.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.core import horloge
from isoloir.gestion.roles import RoleDeGestion
from isoloir.votecode.models import EtatRemise, LotDeNotices, RemiseDeNotice
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import (
    compte_de_gestion,
    envoyer,
    saisir,
    se_connecter_a_la_gestion,
    suivre,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

EMAIL = "administration@education.gouv.fr"
HIER = (horloge.maintenant() - timedelta(days=1)).date()


@pytest.fixture
def campagne(settings, tmp_path: Path, creer_campagne, creer_scrutin, creer_electeur):
    settings.DATA_DIR = tmp_path / "donnees"
    campagne = creer_campagne(
        nom="Élections professionnelles 2026", ouverture=horloge.maintenant() + timedelta(days=30)
    )
    scrutin = creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
    for n, (nom, etablissement) in enumerate(
        [
            ("Campodifiori", "Lycée du Parc, Lyon"),
            ("Bertin", "Lycée du Parc, Lyon"),
            ("Durand", "Collège Ampère, Lyon"),
        ]
    ):
        creer_electeur(
            scrutin,
            email=f"agent{n}@ac-lyon.fr",
            nom_naissance=nom,
            etablissement=etablissement,
        )
    return campagne


@pytest.fixture
def administration() -> Compte:
    return compte_de_gestion(EMAIL, RoleDeGestion.ADMINISTRATION, nom="Administration")


def _choisir_fichier(page: Page, chemin: Path) -> None:
    tabuler_jusqua(page, "#id_fichier")
    with page.expect_file_chooser() as choix:
        page.keyboard.press("Space")
    choix.value.set_files(str(chemin))


def test_generation_telechargement_import_et_tableau_au_clavier(
    visite: Visite, campagne, administration, executer_taches, tmp_path: Path
) -> None:
    page = visite.page
    tableau = f"/gestion/campagnes/{campagne.slug}/notices/"
    se_connecter_a_la_gestion(visite, administration, tableau)
    assert visite.titre_principal() == "Notices et codes de vote"
    expect(page.locator("main")).to_contain_text("Aucune génération n'a encore été lancée")
    visite.controler("notices-tableau")

    # --- Generation, followed by the page's script. ------------------------------------------
    suivre(visite, "button:has-text('Générer les codes et les notices')", re.compile(tableau))
    expect(page.get_by_role("status")).to_contain_text("La génération des notices est lancée")
    expect(page.locator("[data-progression-libelle]")).to_have_text("En attente du traitement")
    visite.controler("notices-progression")
    executer_taches()
    expect(page.locator("[data-progression-libelle]")).to_have_text("Terminée")
    expect(page.locator('[data-progression-texte="notices"]')).to_have_text("3 sur 3")
    expect(page.locator('[data-progression-texte="etablissements"]')).to_have_text("2 sur 2")
    expect(page.locator("[data-progression-annonce]")).to_contain_text(
        "Génération terminée : 3 notices"
    )
    # The files show and « Générer » is off, without a reload (issue 12, item 14).
    expect(page.locator("#fichiers table")).to_contain_text("Lycée du Parc, Lyon")
    expect(page.locator("#actualiser-notices")).to_have_count(0)
    generer = page.get_by_role("button", name="Générer les codes et les notices")
    expect(generer).to_be_disabled()
    expect(page.locator("#generation-impossible")).to_contain_text("ont leur code de vote")
    visite.controler("notices-progression-terminee")
    page.reload()
    expect(page.locator("table")).to_contain_text("Lycée du Parc, Lyon")
    expect(generer).to_be_disabled()
    visite.controler("notices-fichiers")

    # --- Download one batch, destroy the other. ---------------------------------------------
    ampere = LotDeNotices.objects.get(etablissement="Collège Ampère, Lyon")
    parc = LotDeNotices.objects.get(etablissement="Lycée du Parc, Lyon")
    tabuler_jusqua(page, f"a[href$='/lots/{ampere.pk}/telecharger/']", maximum=120)
    with page.expect_download() as telechargement:
        page.keyboard.press("Enter")
    pdf = tmp_path / "lot.pdf"
    telechargement.value.save_as(pdf)
    assert telechargement.value.suggested_filename == ampere.fichier
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert Evenement.objects.filter(type="notices.lot_telecharge").count() == 1

    suivre(
        visite,
        f"a[href$='/lots/{parc.pk}/detruire/']",
        re.compile(rf"/lots/{parc.pk}/detruire/$"),
    )
    assert visite.titre_principal() == "Détruire un fichier de notices"
    visite.controler("notices-detruire")
    suivre(visite, "button:has-text('Détruire le fichier')", re.compile(rf"{tableau}$"))
    expect(page.get_by_role("status")).to_contain_text("est détruit")
    expect(page.locator("table")).to_contain_text("Détruit le")
    visite.controler("notices-fichier-detruit")

    # --- Delivery: the dashboard, an import (dry run, then for real). ------------------------
    suivre(visite, "a:has-text('Suivre la remise des notices')", re.compile(r"/remises/$"))
    assert visite.titre_principal() == "Remise des notices"
    visite.controler("notices-remises")
    suivre(visite, "a:has-text('Importer une liste de remises')", re.compile(r"/importer/$"))
    visite.controler("notices-import")
    liste = tmp_path / "remises-lycee-du-parc.csv"
    liste.write_text(
        "adresse électronique professionnelle;état;date\n"
        f"agent0@ac-lyon.fr;remise contre signature;{HIER:%d/%m/%Y}\n"
        f"agent1@ac-lyon.fr;envoyée par la poste;{HIER:%d/%m/%Y}\n",
        encoding="cp1252",
    )
    _choisir_fichier(page, liste)
    assert page.locator("#id_simulation").is_checked()
    suivre(visite, "button:has-text('Importer')", re.compile(r"/importer/$"))
    expect(page.locator("main")).to_contain_text("Vérification réussie")
    expect(page.locator("main")).to_contain_text("Windows-1252")
    assert not RemiseDeNotice.objects.exists()
    visite.controler("notices-import-verification")
    _choisir_fichier(page, liste)
    tabuler_jusqua(page, "#id_simulation")
    page.keyboard.press("Space")
    assert not page.locator("#id_simulation").is_checked()
    suivre(visite, "button:has-text('Importer')", re.compile(r"/remises/$"))
    expect(page.get_by_role("status")).to_contain_text("2 notice(s) mise(s) à jour")
    expect(page.locator("main")).to_contain_text("1 remise contre signature, 1 envoyée")
    visite.controler("notices-remises-apres-import")

    # --- One establishment, one voter set by hand. --------------------------------------------
    suivre(visite, "a:has-text('Collège Ampère, Lyon')", re.compile(r"/etablissement/\?nom="))
    assert visite.titre_principal() == "Collège Ampère, Lyon"
    visite.controler("notices-etablissement")
    suivre(visite, "a:has-text('Modifier')", re.compile(r"/remises/electeurs/\d+/$"))
    visite.controler("notices-modifier-remise")
    tabuler_jusqua(page, "#id_etat")
    for _ in range(3):  # « En attente » → « Remise… » → « Envoyée… » → « Détruite »
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_etat")).to_have_value(EtatRemise.DETRUITE.value)
    saisir(visite, "#id_date", "01/01/2026")
    envoyer(visite, re.compile(r"/etablissement/\?nom="))
    expect(page.locator("table")).to_contain_text("Détruite")
    visite.controler("notices-etablissement-apres-modification")
    assert RemiseDeNotice.objects.get(electeur__compte__email="agent2@ac-lyon.fr").etat == (
        EtatRemise.DETRUITE
    )
