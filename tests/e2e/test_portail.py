"""Every page of the voter's portal, in a real browser, with the keyboard alone where there is
a form: the rolls (search, page 2), the candidate lists, « Je vote », « Mes informations
personnelles » with both changes and the download, the assistance and legal pages.

Each page goes through ``Visite.controler`` (screenshot, zero axe-core violations, clean
console); see ``conftest.py``.
"""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Compte, Electeur
from isoloir.core import horloge
from isoloir.elections.models import Candidat, Inscription
from isoloir.votecode.services import emettre_code_initial
from tests.e2e.conftest import Visite, focalise, tabuler_jusqua
from tests.factories import MOT_DE_PASSE, REPONSE, numen_de

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

EMAIL = "sophie.campodifiori@ac-exemple.fr"
NOUVEAU = "Une nouvelle phrase de passe pour 2026"
NOUVELLE_REPONSE = "Le Petit Prince"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOMS = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand"]


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_liste, creer_electeur) -> Electeur:
    """A voter of a campaign whose rolls are published and whose vote opens in 3 days,
    on a 71-voter roll (two pages) and a CAP, with two candidate lists."""
    campagne = creer_campagne(
        nom="Élections professionnelles 2026",
        ouverture=horloge.maintenant() + timedelta(days=3),
        publication_des_listes=horloge.maintenant() - timedelta(days=1),
    )
    csa = creer_scrutin(campagne, intitule="CSA ministériel de l'Éducation nationale")
    cap = creer_scrutin(campagne, intitule="CAP des professeurs certifiés", type="CAP")
    fsu = creer_liste(
        csa,
        ordre=1,
        sigle="FSU",
        denomination="Fédération syndicale unitaire",
        union="Union des syndicats de l'enseignement",
    )
    fsu.profession_de_foi.save("pdf.pdf", ContentFile(PDF))
    creer_liste(csa, ordre=2, sigle="SNE", denomination="Syndicat national de l'exemple")
    for rang, nom in enumerate(("Durand", "Alaoui", "Bernard"), start=1):
        Candidat.objects.create(liste=fsu, rang=rang, civilite="Mme", nom=nom, prenoms="Alice")
    comptes = Compte.objects.bulk_create(
        Compte(email=f"collegue{i}@ac-exemple.fr", password="!") for i in range(70)
    )
    collegues = Electeur.objects.bulk_create(
        Electeur(
            compte=compte,
            civilite="M.",
            nom_naissance=NOMS[i % len(NOMS)],
            prenoms=f"Agent {i:02d}",
            date_naissance=horloge.maintenant().date() - timedelta(days=15_000 + i),
            etablissement=f"Collège n° {i}",
            numen_empreinte=numen.empreinte(numen_de(20_000 + i)),
        )
        for i, compte in enumerate(comptes)
    )
    Inscription.objects.bulk_create(Inscription(electeur=e, scrutin=csa) for e in collegues)
    electeur = creer_electeur(
        csa,
        cap,
        active=True,
        email=EMAIL,
        nom_naissance="Campodifiori",
        prenoms="Sophie",
        etablissement="Lycée Ampère",
    )
    emettre_code_initial(electeur=electeur)
    return electeur


def _connexion(visite: Visite) -> None:
    page = visite.page
    page.goto(visite.url("/portail/connexion/"))
    tabuler_jusqua(page, "#id_email")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type(MOT_DE_PASSE)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portail/$"))


def _visiter(visite: Visite, chemin: str, nom: str, titre: str | None = None) -> None:
    reponse = visite.page.goto(visite.url(chemin))
    assert reponse is not None and reponse.status == 200, f"{chemin} : {reponse}"
    h1 = visite.titre_principal()
    if titre is not None:
        assert h1 == titre
    # Every page of the portal reflows, from the narrowest phone to an office screen.
    visite.controler_aux_largeurs(nom)


def _deplier_et_controler(visite: Visite, nom: str) -> None:
    """Folded content is skipped by axe: unfold each accordion, with the keyboard, and
    check again."""
    page = visite.page
    boutons = page.locator("main .fr-accordion__btn")
    for i in range(boutons.count()):
        bouton = boutons.nth(i)
        bouton.focus()
        page.keyboard.press("Enter")
        expect(bouton).to_have_attribute("aria-expanded", "true")
        visite.controler(f"{nom}-volet-{i + 1}")


def test_toutes_les_pages_du_portail(visite: Visite, electeur: Electeur) -> None:
    page = visite.page
    _connexion(visite)
    visite.controler_aux_largeurs("portail-accueil")

    _visiter(
        visite,
        "/portail/scrutins/",
        "portail-mes-scrutins",
        "Mes scrutins et leurs listes de candidats",
    )
    _deplier_et_controler(visite, "portail-mes-scrutins")
    # DSFR keeps one accordion of a group open: reopen the FSU's.
    page.get_by_role("button", name="1. FSU — Fédération syndicale unitaire").focus()
    page.keyboard.press("Enter")
    lien_pdf = page.get_by_role("link", name=re.compile(r"^Consulter la profession de foi de FSU"))
    expect(lien_pdf).to_contain_text("PDF, 45 octets")
    reponse = page.request.get(visite.url(lien_pdf.get_attribute("href") or ""))
    assert reponse.headers["content-disposition"].startswith("inline")
    with page.expect_download() as telechargement:
        lien = page.get_by_role("link", name=re.compile(r"^Télécharger la profession de foi"))
        lien.focus()
        page.keyboard.press("Enter")
    assert telechargement.value.suggested_filename.endswith("-FSU.pdf")

    _visiter(visite, "/portail/vote/", "portail-je-vote")
    _visiter(
        visite,
        "/portail/listes-electorales/",
        "portail-listes-electorales",
        "Listes électorales de mes scrutins",
    )

    # The roll, reached with the keyboard, then searched and turned to page 2.
    csa = electeur.inscriptions.get(scrutin__type="CSA").scrutin_id
    tabuler_jusqua(page, f"main a[href='/portail/listes-electorales/{csa}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portail/listes-electorales/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("71 électeurs inscrits — page 1 sur 2")
    visite.controler_aux_largeurs("portail-liste-electorale")
    expect(page.locator("main tbody tr")).to_have_count(50)
    texte = page.locator("main").inner_text()
    assert "@" not in texte and "collegue" not in texte
    page.get_by_role("link", name="Page suivante").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("main tbody tr")).to_have_count(21)
    visite.controler_aux_largeurs("portail-liste-electorale-page-2")

    tabuler_jusqua(page, "#recherche-nom")
    page.keyboard.type("dur")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"nom=dur"))
    expect(page.get_by_role("status")).to_contain_text(
        "8 électeurs dont le nom commence par « dur »"
    )
    expect(page.locator("main tbody th")).to_have_text(["Durand"] * 8)
    visite.controler_aux_largeurs("portail-liste-electorale-recherche")

    for chemin, nom in (
        ("/portail/assistance/", "portail-assistance"),
        ("/portail/assistance-telephonique/", "portail-assistance-telephonique"),
        ("/portail/assistance/demande/", "portail-assistance-demande"),
        ("/portail/accessibilite/", "portail-accessibilite"),
        ("/portail/donnees-personnelles/", "portail-donnees-personnelles"),
    ):
        _visiter(visite, chemin, nom)
        _deplier_et_controler(visite, nom)


def _champ_suivant(page: Page, selecteur: str) -> None:
    """Tab to the next field; a secret's own "Afficher" box comes between (issue 12,
    item 3)."""
    page.keyboard.press("Tab")
    courant = page.evaluate("document.activeElement && document.activeElement.id") or ""
    if courant.endswith("-afficher"):
        page.keyboard.press("Tab")
    assert focalise(page, selecteur), f"Tab ne mène pas à {selecteur}"


def test_mes_informations_changements_et_telechargement(visite: Visite, electeur: Electeur) -> None:
    page = visite.page
    _connexion(visite)
    _visiter(visite, "/portail/mon-compte/", "mes-informations", "Mes informations personnelles")
    expect(page.locator("main")).to_contain_text("Code n° 1, remis sur la notice initiale")

    # Password: a wrong current password first, then the right one, keyboard only.
    tabuler_jusqua(page, "main a:has-text('Changer mon mot de passe élections')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mon-compte/mot-de-passe/$"))
    visite.controler("mot-de-passe")
    tabuler_jusqua(page, "#id_mot_de_passe_actuel")
    page.keyboard.type("pas le bon")
    _champ_suivant(page, "#id_mot_de_passe")
    page.keyboard.type(NOUVEAU)
    _champ_suivant(page, "#id_confirmation")
    page.keyboard.type(NOUVEAU)
    page.keyboard.press("Enter")
    expect(page.locator("#id_mot_de_passe_actuel-erreur")).to_contain_text(
        "Le mot de passe actuel est incorrect."
    )
    expect(page.locator("#id_mot_de_passe_actuel")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_mot_de_passe")).to_have_value("")
    visite.controler("mot-de-passe-erreur")
    tabuler_jusqua(page, "#id_mot_de_passe_actuel")
    page.keyboard.type(MOT_DE_PASSE)
    _champ_suivant(page, "#id_mot_de_passe")
    page.keyboard.type(NOUVEAU)
    _champ_suivant(page, "#id_confirmation")
    page.keyboard.type(NOUVEAU)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portail/mon-compte/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe élections a été modifié")
    visite.controler("mot-de-passe-change")
    compte = Compte.objects.get(email=EMAIL)
    assert compte.check_password(NOUVEAU)

    # Question défi: the current answer, a new question chosen with the arrows, an answer.
    tabuler_jusqua(page, "main a:has-text('Changer ma question défi')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mon-compte/question-defi/$"))
    visite.controler("question-defi")
    tabuler_jusqua(page, "#id_reponse_actuelle")
    page.keyboard.type(REPONSE)
    _champ_suivant(page, "#id_question_defi")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_question_defi")).to_have_value("livre")
    _champ_suivant(page, "#id_reponse_defi")
    page.keyboard.type(NOUVELLE_REPONSE)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portail/mon-compte/$"))
    expect(page.get_by_role("status")).to_contain_text("Votre question défi a été modifiée")
    expect(page.locator("main")).to_contain_text(question_defi.LIBELLES["livre"])
    visite.controler("question-defi-changee")
    electeur.refresh_from_db()
    assert question_defi.verifier(NOUVELLE_REPONSE, electeur.reponse_defi_empreinte)

    # The download, from the keyboard.
    tabuler_jusqua(page, "main a[href$='mes-donnees.json']")
    with page.expect_download() as telechargement:
        page.keyboard.press("Enter")
    fichier = telechargement.value
    assert fichier.suggested_filename.startswith("mes-donnees-elections-")
    chemin = fichier.path()
    with open(chemin, encoding="utf-8") as lecture:
        contenu = lecture.read()
    donnees = json.loads(contenu)
    assert donnees["identite"]["nom_de_naissance"] == "Campodifiori"
    assert {s["scrutin"] for s in donnees["scrutins"]} == {
        "CSA ministériel de l'Éducation nationale",
        "CAP des professeurs certifiés",
    }
    for secret in (MOT_DE_PASSE, NOUVEAU, REPONSE, NOUVELLE_REPONSE, compte.password):
        assert secret not in contenu
    visite.verifier_console("telechargement")
