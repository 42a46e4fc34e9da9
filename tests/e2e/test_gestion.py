"""A newcomer administrator sets a campaign up in the browser, keyboard only.

Login and second factor; the back-office's home; a new campaign whose first dates break
the rules (a French message on the field), then right ones; its scrutins from a CSV file
(a wrong file first, refused whole); the campaign's dashboard with its timeline. The
helpdesk, logged in next, sees neither the campaign's pages nor the technical back-office.
Every page: screenshot and zero axe-core violation.
"""

import re

import pytest
from playwright.sync_api import expect

from isoloir.elections.models import Campagne, Scrutin
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.e2e.gestion import (
    compte_de_gestion,
    saisir,
    saisir_date,
    se_connecter_a_la_gestion,
    suivre,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCRUTINS = (
    "code;intitule;type;perimetre;sieges_titulaires;sieges_suppleants;ordre\n"
    "csa-men;CSA ministériel;CSA;Ministère;15;15;1\n"
    "cap-certifies;CAPN des professeurs certifiés;CAP;Ministère;10;10;2\n"
)


def _importer(visite: Visite, chemin) -> None:
    """Reach the file field by keyboard, pick the file (the system dialog is not the
    page's), then the « Importer » button by keyboard."""
    tabuler_jusqua(visite.page, "#id_fichier")
    visite.page.set_input_files("#id_fichier", str(chemin))
    suivre(visite, "main button[type=submit]", re.compile("/scrutins/$"))


def test_une_administratrice_met_une_campagne_en_place(ouvrir_visite, tmp_path) -> None:
    administratrice = compte_de_gestion(
        "claire.martin@education.gouv.fr", RoleDeGestion.ADMINISTRATION, nom="Claire MARTIN"
    )
    visite = ouvrir_visite()
    page = visite.page
    se_connecter_a_la_gestion(visite, administratrice)
    assert visite.titre_principal() == "Espace de gestion"
    visite.controler("gestion-accueil-vide")

    suivre(
        visite,
        "a.fr-btn[href='/gestion/nouvelle-campagne/']",
        re.compile("/gestion/nouvelle-campagne/$"),
    )
    visite.controler("gestion-nouvelle-campagne")
    saisir(visite, "#id_nom", "Élections professionnelles 2026")
    saisir(visite, "#id_slug", "ep-2026")
    saisir_date(visite, "#id_ouverture", "2026-12-01T08:00")
    saisir_date(visite, "#id_cloture", "2026-12-12T17:00")  # 11 days: too long
    saisir_date(visite, "#id_publication_des_listes", "2026-10-20T09:00")
    saisir_date(visite, "#id_remise_des_notices", "2026-11-15T18:00")
    suivre(visite, "main button[type=submit]", re.compile("/gestion/nouvelle-campagne/$"))
    expect(page.locator("#id_cloture-erreur")).to_contain_text("entre 24 heures et 8 jours")
    visite.controler("gestion-nouvelle-campagne-erreur")
    assert not Campagne.objects.exists()
    saisir_date(visite, "#id_cloture", "2026-12-08T17:00")
    suivre(visite, "main button[type=submit]", re.compile("/gestion/campagnes/ep-2026/$"))
    expect(page.locator(".fr-alert--success")).to_contain_text("La campagne est créée.")
    expect(page.locator(".fr-callout__title")).to_contain_text("Prochaine échéance")
    visite.controler("gestion-campagne")

    suivre(visite, "a[href='/gestion/campagnes/ep-2026/scrutins/']", re.compile("/scrutins/$"))
    visite.controler("gestion-scrutins-vide")
    faux = tmp_path / "scrutins-faux.csv"
    faux.write_text(SCRUTINS.replace(";15;15;1", ";quinze;15;1"), encoding="utf-8")
    _importer(visite, faux)
    expect(page.locator(".fr-alert--error")).to_contain_text(
        "Ligne 2 : sièges de titulaires : un nombre entier est attendu."
    )
    visite.controler("gestion-scrutins-refuses")
    assert not Scrutin.objects.exists()
    bon = tmp_path / "scrutins.csv"
    bon.write_bytes(SCRUTINS.encode("cp1252"))
    _importer(visite, bon)
    expect(page.locator(".fr-alert--success")).to_contain_text("2 créé(s)")
    expect(page.locator("tbody tr")).to_have_count(2)
    visite.controler("gestion-scrutins")
    assert set(Scrutin.objects.values_list("code", flat=True)) == {"csa-men", "cap-certifies"}


def test_l_assistance_ne_voit_que_ses_ecrans(ouvrir_visite, creer_campagne) -> None:
    campagne = creer_campagne()
    aide = compte_de_gestion("aide@education.gouv.fr", RoleDeGestion.ASSISTANCE)
    visite = ouvrir_visite()
    se_connecter_a_la_gestion(visite, aide)
    expect(visite.page.locator("tbody")).to_contain_text(campagne.nom)
    expect(visite.page.locator("#navigation-principale")).not_to_contain_text("Back-office")
    visite.controler("gestion-accueil-assistance")
    reponse = visite.page.goto(visite.url(f"/gestion/campagnes/{campagne.slug}/"))
    assert reponse is not None and reponse.status == 403


def test_le_back_office_technique_est_accessible(ouvrir_visite, creer_scrutin) -> None:
    scrutin = creer_scrutin()
    administratrice = compte_de_gestion("admin@education.gouv.fr", RoleDeGestion.ADMINISTRATION)
    visite = ouvrir_visite()
    se_connecter_a_la_gestion(visite, administratrice)
    visite.page.goto(visite.url("/back-office/"))
    visite.controler("back-office-accueil")
    visite.page.goto(visite.url(f"/back-office/elections/scrutin/{scrutin.pk}/change/"))
    visite.controler("back-office-scrutin")
    visite.page.goto(visite.url("/back-office/elections/campagne/"))
    visite.controler("back-office-campagnes")
