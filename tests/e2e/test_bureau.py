"""The bureau de vote's whole life in a real browser, with three key holders on their own
devices (one browser profile each): the key ceremony without a dealer, the sealing, the
vote, the closing, the count with exactly the threshold (one share fewer is refused), the
results and the minutes.

Each holder's secrets are computed in Chromium and leave it only inside the vault file
the holder downloads; the test checks that file opens, in Python, to the very
communication key the server published, and that no request ever carried the
passphrase."""

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Page, Request, expect

from isoloir.booth import depot
from isoloir.booth.cles import manifeste_du_scrutin
from isoloir.core import horloge
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    MembreDuBureau,
    RattachementAuBureau,
    Role,
)
from isoloir.crypto import coffre
from isoloir.crypto.bulletin import creer_bulletin
from isoloir.crypto.groupe import AleaSysteme, base
from isoloir.demo.bureau import charger_bureau_demo
from isoloir.demo.chargement import SLUG as SLUG_DEMO
from isoloir.demo.chargement import charger_campagne_demo
from isoloir.elections.models import Campagne, Candidat
from isoloir.verification import verifier_archive
from tests.e2e.conftest import Visite
from tests.factories import MOT_DE_PASSE
from tests.pdf import texte_du_pdf
from tests.second_facteur import verifier_second_facteur

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.aussi_postgresql,
    pytest.mark.django_db(transaction=True, databases=["default", "urne"]),
]

# The three key holders: the président and two délégués de liste, each on their device.
DETENTEURS = ["president", "premier-delegue", "second-delegue"]
PHRASES = {
    "president": "la présidente garde sa phrase",
    "premier-delegue": "phrase du premier délégué",
    "second-delegue": "phrase du second délégué de liste",
}
# Blank, FSU, UNSA, FO: 1, 4, 3, 1 — with 3 seats, FSU 2 and UNSA 1.
CHOIX = [0, 1, 1, 1, 1, 2, 2, 2, 3]


@pytest.fixture
def election(creer_campagne, creer_scrutin, creer_liste, creer_electeur):
    """A CSA opening in two hours, its bureau, and nine voters; no key yet."""
    campagne = creer_campagne(
        nom="Élections professionnelles 2026", ouverture=horloge.maintenant() + timedelta(hours=2)
    )
    scrutin = creer_scrutin(
        campagne, code="csa-men", intitule="CSA ministériel", sieges_titulaires=3
    )
    for ordre, sigle in enumerate(["FSU", "UNSA", "FO"], start=1):
        liste = creer_liste(scrutin, ordre=ordre, sigle=sigle, denomination=f"Liste {sigle}")
        for rang in (1, 2, 3):
            Candidat.objects.create(
                liste=liste, rang=rang, civilite="Mme", nom=f"{sigle}-{rang}", prenoms="Claire"
            )
    bureau = BureauDeVote.objects.create(campagne=campagne, nom="BV du CSA ministériel")
    RattachementAuBureau.objects.create(bureau=bureau, scrutin=scrutin)
    membres = {}
    for nom, role, sigle, cle in [
        ("presidente", Role.PRESIDENT, None, True),
        ("secretaire", Role.SECRETAIRE, None, False),
        ("delegue-fsu", Role.DELEGUE, "FSU", True),
        ("delegue-unsa", Role.DELEGUE, "UNSA", True),
        ("delegue-fo", Role.DELEGUE, "FO", False),
    ]:
        compte = creer_electeur(active=True, email=f"{nom}@education.gouv.fr").compte
        membres[nom] = MembreDuBureau.objects.create(
            bureau=bureau,
            compte=compte,
            role=role,
            liste=scrutin.listes.get(sigle=sigle) if sigle else None,
            detenteur_de_cle=cle,
        )
    electeurs = [creer_electeur(scrutin, active=True) for _ in CHOIX]
    return scrutin, bureau, membres, electeurs


def _connecter(ouvrir_visite, membre: MembreDuBureau) -> Visite:
    """A browser profile logged in as this member, second factor passed."""
    client = Client()
    client.force_login(membre.compte)
    verifier_second_facteur(client, membre.compte)
    visite = ouvrir_visite()
    visite.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": visite.base}]
    )
    return visite


def _espionner(page: Page, phrases: list[str], envois: list[str]) -> None:
    def noter(requete: Request) -> None:
        if requete.method == "POST":
            corps = requete.post_data or ""
            envois.append(corps)
            assert not any(p in corps for p in phrases), "une phrase de passe est partie"

    page.on("request", noter)


def _creer_sa_cle(visite: Visite, nom: str, dossier: Path) -> Path:
    """Create the key and save the vault (nothing sent), then publish it from the file."""
    page = visite.page
    page.get_by_label("Phrase de passe", exact=False).first.fill(PHRASES[nom])
    page.get_by_label("Confirmation de la phrase de passe").fill(PHRASES[nom])
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Créer ma clé et enregistrer mon coffre").click()
    fichier = dossier / f"{nom}.json"
    telechargement.value.save_as(fichier)
    expect(page.locator("#creation-etat")).to_contain_text("Coffre enregistré sous le nom")
    expect(page.get_by_label("Fichier de votre coffre")).to_be_focused()
    _ouvrir_le_coffre(page, fichier, PHRASES[nom], "Publier ma clé de communication")
    expect(page.get_by_role("status").first).to_contain_text("clé de communication est publiée")
    return fichier


def _ouvrir_le_coffre(page: Page, fichier: Path, phrase: str, bouton: str) -> None:
    page.get_by_label("Fichier de votre coffre").set_input_files(fichier)
    page.get_by_label("Phrase de passe de votre coffre").fill(phrase)
    page.get_by_role("button", name=bouton).click()


def _vie_du_bureau(
    ouvrir_visite,
    scrutin,
    bureau: BureauDeVote,
    detenteurs: list[MembreDuBureau],
    electeurs: list,
    choix: list[int],
    dossier: Path,
    *,
    captures: bool = True,
) -> Visite:
    """Ceremony, sealing, vote, closing and count with ``detenteurs`` (the président,
    then two délégués) in three browsers; returns the président's, on the computed count,
    the clock still after the closing (the caller is inside ``horloge.decalee_de``)."""
    membres = dict(zip(DETENTEURS, detenteurs, strict=True))
    visites = {nom: _connecter(ouvrir_visite, membres[nom]) for nom in DETENTEURS}
    envois: list[str] = []
    for visite in visites.values():
        _espionner(visite.page, list(PHRASES.values()), envois)

    def controler(nom: str, ecran: str, toutes_largeurs: bool = False) -> None:
        if captures and toutes_largeurs:
            visites[nom].controler_aux_largeurs(ecran)
        elif captures:
            visites[nom].controler(ecran)
        else:
            visites[nom].verifier_console(ecran)

    presidente = visites["president"].page
    # 1. The président's dashboard, then the ceremony opens.
    presidente.goto(visites["president"].url(f"/bureau/{bureau.pk}/"))
    expect(presidente.locator("h1")).to_have_text(bureau.nom)
    controler("president", "bureau-tableau-de-bord")
    presidente.get_by_role("button", name="Ouvrir la cérémonie des clés").click()
    expect(presidente.get_by_role("status").first).to_contain_text("cérémonie des clés est ouverte")
    controler("president", "bureau-ceremonie-cle", toutes_largeurs=True)

    # 2. Each holder creates their key in their browser and keeps the vault file.
    coffres = {}
    for nom in DETENTEURS:
        visite = visites[nom]
        if nom != "president":
            visite.page.goto(visite.url(f"/bureau/{bureau.pk}/ceremonie/"))
        if nom == "premier-delegue":
            # Mismatched passphrases: a French message by the field, nothing sent.
            avant = len(envois)
            visite.page.get_by_label("Phrase de passe", exact=False).first.fill(PHRASES[nom])
            visite.page.get_by_label("Confirmation de la phrase de passe").fill("autre chose")
            visite.page.get_by_role("button", name="Créer ma clé et enregistrer mon coffre").click()
            expect(visite.page.get_by_role("alert").first).to_contain_text("ne sont pas identiques")
            assert len(envois) == avant
            controler(nom, "bureau-ceremonie-erreur")
        coffres[nom] = _creer_sa_cle(visite, nom, dossier)
    ceremonie = CeremonieDesCles.objects.get(bureau=bureau)
    for j, nom in enumerate(DETENTEURS, start=1):
        # The file is a vault (coffre.py's format) that opens to the published key.
        fichier = json.loads(coffres[nom].read_text())
        assert set(fichier) == {"format", "bureau", "detenteur", "cle_de_communication", "coffre"}
        z = coffre.dechiffrer_secret(fichier["coffre"], PHRASES[nom])
        publiee = ceremonie.messages.get(membre=membres[nom], nature="communication")
        assert base(z).hex() == publiee.contenu["cle"] == fichier["cle_de_communication"]
        assert fichier["detenteur"] == j

    # 3. Each holder deals their shares (no secret to keep at this step).
    for nom in DETENTEURS:
        page = visites[nom].page
        page.goto(visites[nom].url(f"/bureau/{bureau.pk}/ceremonie/"))
        if nom == "president":
            controler(nom, "bureau-ceremonie-distribution")
        page.get_by_role("button", name="Distribuer mes parts").click()
        expect(page.get_by_role("status").first).to_contain_text("parts sont distribuées")

    # 4. Each holder opens their vault and checks the shares they received.
    for nom in DETENTEURS:
        visite = visites[nom]
        page = visite.page
        page.goto(visite.url(f"/bureau/{bureau.pk}/ceremonie/"))
        if nom == "second-delegue":
            _ouvrir_le_coffre(
                page, coffres[nom], "pas la bonne phrase", "Vérifier les parts reçues"
            )
            expect(page.get_by_role("alert").first).to_contain_text("Phrase de passe incorrecte")
            expect(page.get_by_label("Phrase de passe de votre coffre")).to_be_focused()
            controler(nom, "bureau-ceremonie-phrase-incorrecte")
            _ouvrir_le_coffre(
                page,
                coffres["premier-delegue"],
                PHRASES["premier-delegue"],
                "Vérifier les parts reçues",
            )
            expect(page.get_by_role("alert").first).to_contain_text("celui d'un autre détenteur")
        _ouvrir_le_coffre(page, coffres[nom], PHRASES[nom], "Vérifier les parts reçues")
        expect(page.get_by_role("status").first).to_contain_text("elles sont toutes bonnes")
    ceremonie.refresh_from_db()
    assert ceremonie.etat == "close"
    expect(page.get_by_text(ceremonie.empreinte)).to_be_visible()
    controler("second-delegue", "bureau-ceremonie-close", toutes_largeurs=True)
    assert manifeste_du_scrutin(scrutin).origine_cle == "ceremonie"

    # 5. Sealing: the président fixes it; the président and a délégué sign it.
    presidente.goto(visites["president"].url(f"/bureau/{bureau.pk}/scellement/"))
    controler("president", "bureau-scellement-a-preparer")
    presidente.get_by_role("button", name="Préparer le scellement").click()
    expect(presidente.get_by_role("status").first).to_contain_text("contenu du scellement est fixé")
    controler("president", "bureau-scellement-a-signer")
    for nom in ["president", "premier-delegue"]:
        page = visites[nom].page
        page.goto(visites[nom].url(f"/bureau/{bureau.pk}/scellement/"))
        _ouvrir_le_coffre(page, coffres[nom], PHRASES[nom], "Signer le scellement")
        expect(page.get_by_role("status").first).to_contain_text("signature est enregistrée")
    expect(page.get_by_text("Scellement vérifié")).to_be_visible()
    controler("premier-delegue", "bureau-scelle")

    # 6. The vote opens: nine ballots under the bureau's key; the dashboard shows
    # participation, never a result.
    with horloge.decalee_de(timedelta(hours=3)):
        manifeste = manifeste_du_scrutin(scrutin)
        for electeur, k in zip(electeurs, choix, strict=True):
            depot.voter(
                electeur=electeur,
                scrutin=scrutin,
                texte=creer_bulletin(manifeste, k, AleaSysteme()),
            )
        presidente.goto(visites["president"].url(f"/bureau/{bureau.pk}/"))
        expect(presidente.get_by_role("table", name="Participation par scrutin")).to_contain_text(
            str(len(choix))
        )
        controler("president", "bureau-pendant-le-vote")

    # 7. After the closing: the président opens the count; two shares are not enough.
    with horloge.decalee_de(timedelta(days=9)):
        adresse = f"/bureau/{bureau.pk}/depouillement/{scrutin.pk}/"
        presidente.goto(visites["president"].url(adresse))
        controler("president", "bureau-depouillement-a-ouvrir")
        presidente.get_by_role("button", name="Ouvrir le dépouillement").click()
        expect(presidente.get_by_role("status").first).to_contain_text(
            f"{len(choix)} bulletin(s) vérifiés"
        )
        for nom in ["premier-delegue", "second-delegue"]:
            page = visites[nom].page
            page.goto(visites[nom].url(adresse))
            _ouvrir_le_coffre(page, coffres[nom], PHRASES[nom], "Publier ma part de déchiffrement")
            expect(page.get_by_role("status").first).to_contain_text(
                "part de déchiffrement est publiée"
            )
        controler("second-delegue", "bureau-depouillement-parts")
        presidente.goto(visites["president"].url(adresse))
        presidente.get_by_role("button", name="Calculer le résultat").click()
        expect(presidente.get_by_role("alert").first).to_contain_text("Dépouillement impossible")
        controler("president", "bureau-depouillement-seuil-non-atteint")

        # The président's share makes three: the result follows.
        _ouvrir_le_coffre(
            presidente,
            coffres["president"],
            PHRASES["president"],
            "Publier ma part de déchiffrement",
        )
        expect(presidente.get_by_role("status").first).to_contain_text(
            "part de déchiffrement est publiée"
        )
        presidente.get_by_role("button", name="Calculer le résultat").click()
        blancs = choix.count(0)
        expect(presidente.get_by_role("status").first).to_contain_text(
            f"{len(choix)} votants, {blancs} vote(s) blanc(s), "
            f"{len(choix) - blancs} suffrage(s) exprimé(s)"
        )
        controler("president", "bureau-depouillement-calcule")

    # Only public messages went up: keys, distributions, complaints, signatures, shares.
    assert envois and all(MOT_DE_PASSE not in e for e in envois)
    return visites["president"]


def test_vie_du_bureau(ouvrir_visite, election, tmp_path, live_server, settings) -> None:
    scrutin, bureau, membres, electeurs = election
    settings.ISOLOIR_BASE_URL = live_server.url
    detenteurs = [membres[nom] for nom in ("presidente", "delegue-fsu", "delegue-unsa")]
    visite = _vie_du_bureau(ouvrir_visite, scrutin, bureau, detenteurs, electeurs, CHOIX, tmp_path)
    presidente = visite.page

    # The public results and the minutes.
    presidente.get_by_role("link", name=re.compile("Résultats et procès-verbal")).click()
    resultats = presidente.get_by_role("table", name=re.compile("Voix et sièges"))
    expect(resultats.get_by_role("row", name=re.compile("FSU"))).to_contain_text("4")
    visite.controler_aux_largeurs("bureau-resultats")
    with presidente.expect_download() as telechargement:
        presidente.get_by_role("link", name=re.compile("procès-verbal")).click()
    pv = tmp_path / "pv.pdf"
    telechargement.value.save_as(pv)
    texte = texte_du_pdf(pv.read_bytes(), tmp_path)
    for attendu in ["FSU-1", "FSU-2", "UNSA-1", "Sophie Marie CAMPODIFIORI"]:
        assert attendu in texte
    assert "FO-1" not in texte
    assert "@" not in texte

    # The public archive re-verifies, without the database.
    archive = tmp_path / "election.zip"
    with horloge.decalee_de(timedelta(days=9)):
        reponse = presidente.request.get(
            visite.url(f"/resultats/{scrutin.campagne.slug}/archive.zip")
        )
    assert reponse.ok
    archive.write_bytes(reponse.body())
    rapport = verifier_archive(archive)
    assert rapport.ok, rapport.messages(echecs_seulement=True)


def test_cycle_complet_de_la_demonstration(ouvrir_visite, tmp_path, live_server, settings) -> None:
    """``isoloir demo --opens-in 20m``'s campaign: its CSA's bureau, as the demo makes it,
    runs the whole election in three browsers."""
    settings.ISOLOIR_BASE_URL = live_server.url
    charger_campagne_demo(maintenant=horloge.maintenant(), ouverture_dans=timedelta(hours=2))
    campagne = Campagne.objects.get(slug=SLUG_DEMO)
    scrutin = campagne.scrutins.get(code="csa-men")
    charger_bureau_demo(campagne, scrutin)
    bureau = BureauDeVote.objects.get(rattachements__scrutin=scrutin)
    detenteurs = list(bureau.membres.filter(detenteur_de_cle=True).order_by("role", "liste__ordre"))
    assert [m.role for m in detenteurs] == ["delegue", "delegue", "president"]
    detenteurs = [detenteurs[2], detenteurs[0], detenteurs[1]]
    electeurs = [i.electeur for i in scrutin.inscriptions.select_related("electeur")[:7]]
    choix = [0, 1, 1, 2, 3, 1, 6]
    visite = _vie_du_bureau(
        ouvrir_visite, scrutin, bureau, detenteurs, electeurs, choix, tmp_path, captures=False
    )
    visite.page.get_by_role("link", name=re.compile("Résultats et procès-verbal")).click()
    expect(visite.page.locator("h1")).to_contain_text(scrutin.intitule)
    resultat = scrutin.depouillement.resultat
    voix = [liste["voix"] for liste in resultat["listes"]]
    assert (resultat["blancs"], voix) == (1, [3, 1, 1, 0, 0, 1])

    # Issue 12, item 9: the campaign's published results offer the bureau's archive,
    # though the demo's other scrutins (development keys, no bureau) are never counted.
    page = visite.page
    page.get_by_role("link", name=re.compile("Résultats publiés de la campagne")).click()
    expect(page.locator("h1")).to_contain_text(f"Résultats publiés — {campagne.nom}")
    expect(page.get_by_text("aucun bureau de vote ne dépouille ce scrutin").first).to_be_visible()
    visite.controler_aux_largeurs("resultats-publies")
    with page.expect_download() as telechargement:
        page.get_by_role(
            "link", name=re.compile(f"Télécharger l'archive du bureau « {re.escape(bureau.nom)} »")
        ).click()
    archive = tmp_path / "bureau.zip"
    telechargement.value.save_as(archive)
    rapport = verifier_archive(archive)
    assert rapport.ok, rapport.messages(echecs_seulement=True)
    empreinte = hashlib.sha256(archive.read_bytes()).hexdigest()
    expect(page.locator("main")).to_contain_text(f"SHA-256 : {empreinte}")
