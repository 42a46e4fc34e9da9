"""Voting in a real browser: the booth encrypts in Chromium, the server checks the proofs.

A voter on two scrutins opens the voting space with the code, votes in the first with the
keyboard only (changing their mind once at the confirmation step), keeps the receipt and
its PDF, finds the tracker on the public board, votes blank in the second, and is refused
a second vote. Every request body of the vote is captured: none holds the choice in clear.
"""

import json
import re
from urllib.parse import parse_qs

import pytest
from django.db import transaction
from playwright.sync_api import Page, Request, expect

from isoloir.ballotbox.models import Bulletin
from isoloir.booth import cles
from isoloir.booth.models import Emargement
from isoloir.crypto.bulletin import verifier_bulletin
from isoloir.crypto.elgamal import dechiffrer
from isoloir.votecode import services
from isoloir.votecode.models import Origine
from tests.cles import cle_privee_de_developpement
from tests.e2e.conftest import Visite, focalise, tabuler_jusqua
from tests.factories import MOT_DE_PASSE

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, databases=["default", "urne"]),
]

EMAIL_PRO = "sophie.martin@ac-lyon.fr"
ESPACE = re.compile(r"/portail/vote/espace/$")
HEX = re.compile(r"^[0-9a-f]{64}$")
LISTES = [
    ("FSU", "Fédération syndicale unitaire"),
    ("UNSA", "UNSA Éducation"),
    ("SNALC", "Syndicat national des lycées, collèges, écoles et du supérieur"),
]


@pytest.fixture
def scrutins(scrutin_ouvert, creer_scrutin, creer_liste):
    cap = creer_scrutin(
        scrutin_ouvert.campagne, code="cap-certifies", intitule="CAPA des professeurs certifiés"
    )
    for scrutin in (scrutin_ouvert, cap):
        for ordre, (sigle, nom) in enumerate(LISTES, start=1):
            creer_liste(scrutin, ordre=ordre, sigle=sigle, denomination=nom)
    cles.ceremonie_de_developpement(scrutin_ouvert.campagne)
    return scrutin_ouvert, cap


@pytest.fixture
def code_de_vote(scrutins, creer_electeur, live_server, settings) -> str:
    settings.ISOLOIR_BASE_URL = live_server.url
    electeur = creer_electeur(*scrutins, active=True, email=EMAIL_PRO)
    with transaction.atomic():
        return services.emettre(electeur=electeur, origine=Origine.INITIAL)


def _aller(visite: Visite, chemin: str) -> None:
    """Go to ``chemin`` once the current page has settled: leaving a page while its icons
    still load aborts them, which the visit would report as failed requests."""
    visite.page.wait_for_load_state("networkidle")
    visite.page.goto(visite.url(chemin))


def _ouvrir_l_espace(visite: Visite, code: str) -> None:
    page = visite.page
    _aller(visite, "/portail/connexion/")
    page.get_by_label("Adresse électronique professionnelle *").fill(EMAIL_PRO)
    page.get_by_label("Mot de passe élections *").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/portail/$"))
    _aller(visite, "/portail/vote/code/")
    page.locator("#id_code_de_vote").fill(code)
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="Connexion", exact=True).click()
    page.wait_for_url(ESPACE)


def _corps_envoyes(page: Page) -> list[tuple[str, str]]:
    corps: list[tuple[str, str]] = []

    def noter(requete: Request) -> None:
        if requete.method == "POST":
            corps.append((requete.url, requete.post_data or ""))

    page.on("request", noter)
    return corps


def _sans_choix_en_clair(url: str, corps: str) -> None:
    """The vote's POST carries the CSRF token and the encrypted ballot, nothing else."""
    champs = parse_qs(corps, keep_blank_values=True)
    assert set(champs) == {"csrfmiddlewaretoken", "bulletin"}, (url, sorted(champs))
    bulletin = json.loads(champs["bulletin"][0])
    assert set(bulletin) == {"choix", "election", "preuve_somme", "scrutin", "version"}
    valeurs = [v for c in bulletin["choix"] for v in (c["alpha"], c["beta"], *c["preuve"].values())]
    valeurs += [*bulletin["preuve_somme"].values(), bulletin["election"]]
    assert all(HEX.match(v) for v in valeurs)
    for sigle, nom in LISTES:
        assert sigle not in corps and nom not in corps
    assert "blanc" not in corps.lower() and "indice" not in corps


def test_vote_complet_dans_deux_scrutins(visite: Visite, scrutins, code_de_vote) -> None:
    csa, cap = scrutins
    page = visite.page
    envois = _corps_envoyes(page)
    _ouvrir_l_espace(visite, code_de_vote)
    expect(page.get_by_role("row", name=re.compile(csa.intitule))).to_contain_text("À voter")
    visite.controler("vote-espace-a-voter")

    # --- CSA, keyboard only: choose, reconsider at confirmation, validate. ---------------
    tabuler_jusqua(page, f"a[href='/portail/vote/scrutin/{csa.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/portail/vote/scrutin/{csa.pk}/$"))
    expect(page.locator("#etape-choix")).to_be_visible()
    for _, nom in LISTES:
        expect(page.get_by_text(nom)).to_be_visible()  # all lists at once (A14)
    expect(page.get_by_label("Vote blanc")).to_be_visible()
    visite.controler("vote-isoloir-choix")

    tabuler_jusqua(page, "#bouton-continuer")
    page.keyboard.press("Enter")  # nothing chosen yet: a clear message, not a step
    expect(page.locator("#choix-erreur")).to_contain_text("Choisissez une liste")
    visite.controler("vote-isoloir-aucun-choix")
    assert focalise(page, "#choix-1")
    page.keyboard.press("Space")  # FSU
    page.keyboard.press("ArrowDown")  # UNSA
    expect(page.locator("#choix-2")).to_be_checked()
    tabuler_jusqua(page, "#bouton-continuer")
    page.keyboard.press("Enter")
    expect(page.locator("#etape-confirmation")).to_be_visible()
    assert focalise(page, "#titre-confirmation")
    expect(page.locator("#choix-retenu")).to_have_text("UNSA — UNSA Éducation")
    visite.controler("vote-isoloir-confirmation")

    tabuler_jusqua(page, "#bouton-modifier")
    page.keyboard.press("Enter")
    expect(page.locator("#etape-choix")).to_be_visible()
    assert focalise(page, "#choix-2")
    page.keyboard.press("ArrowDown")  # SNALC
    tabuler_jusqua(page, "#bouton-continuer")
    page.keyboard.press("Enter")
    expect(page.locator("#choix-retenu")).to_contain_text("SNALC")
    tabuler_jusqua(page, "#bouton-valider")
    page.keyboard.press("Enter")

    page.wait_for_selector("#traceur")
    expect(page.locator("h1")).to_have_text("Accusé de réception de votre vote")
    traceur = page.locator("#traceur").inner_text().strip()
    # The browser computed the same tracker from the ballot it encrypted.
    expect(page.locator("#controle-traceur")).to_contain_text("bien celui que votre navigateur")
    visite.controler("vote-accuse-de-reception")
    with page.expect_download() as telechargement:
        page.get_by_role("button", name=re.compile("Télécharger l'accusé")).click()
    assert telechargement.value.suggested_filename == f"accuse-de-vote-{csa.code}.pdf"
    assert telechargement.value.path().read_bytes().startswith(b"%PDF")
    # A download ends its navigation with ERR_ABORTED: that one is expected.
    visite.requetes_echouees[:] = [
        r for r in visite.requetes_echouees if not r.endswith("accuse.pdf : net::ERR_ABORTED")
    ]

    page.get_by_role("button", name="Vérifier sur le tableau d'affichage").click()
    expect(page.get_by_text("Ce bulletin est dans l'urne")).to_be_visible()
    expect(page.locator("#id_traceur")).to_have_value(traceur)
    visite.controler("vote-tableau-traceur-trouve")

    # --- CAP: blank vote with the mouse. ----------------------------------------------------
    _aller(visite, "/portail/vote/espace/")
    expect(page.get_by_role("row", name=re.compile(csa.intitule))).to_contain_text("Voté le")
    page.get_by_role("link", name=re.compile(f"Voter : {cap.intitule}")).click()
    page.locator("label[for=choix-0]").click()  # the label covers the DSFR radio
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#choix-retenu")).to_have_text("Vote blanc")
    page.get_by_role("button", name="Valider mon vote").click()
    page.wait_for_selector("#traceur")
    traceur_cap = page.locator("#traceur").inner_text().strip()

    _aller(visite, "/portail/vote/espace/")
    for scrutin in scrutins:
        ligne = page.get_by_role("row", name=re.compile(scrutin.intitule))
        expect(ligne).to_contain_text("Voté le")
    visite.controler("vote-espace-tout-vote")

    # --- A second attempt is refused. --------------------------------------------------------
    _aller(visite, f"/portail/vote/scrutin/{csa.pk}/")
    expect(page.get_by_text("Vous avez déjà voté à ce scrutin")).to_be_visible()
    expect(page.locator("#bouton-valider")).to_have_count(0)
    visite.controler("vote-deja-vote")

    # --- What reached the server: encrypted ballots only, and the right ones. --------------
    votes = [(u, c) for u, c in envois if "/portail/vote/scrutin/" in u and "accuse" not in u]
    assert len(votes) == 2
    for url, corps in votes:
        _sans_choix_en_clair(url, corps)
    assert {b.traceur for b in Bulletin.objects.all()} == {traceur, traceur_cap}
    assert Emargement.objects.count() == 2
    # Decrypted here with the development key, only to prove the browser encrypted the
    # choice that was shown: SNALC (choice 3) in the CSA, blank (choice 0) in the CAP.
    for scrutin, attendu in ((csa, 3), (cap, 0)):
        manifeste = cles.manifeste_du_scrutin(scrutin)
        bulletin = verifier_bulletin(Bulletin.objects.get(scrutin_id=scrutin.pk).contenu, manifeste)
        cle = cle_privee_de_developpement(scrutin)
        valeurs = [dechiffrer(cle, chiffre, 1) for chiffre in bulletin.chiffres]
        assert valeurs == [1 if i == attendu else 0 for i in range(len(valeurs))]


def test_isoloir_sur_telephone_puis_tableau_apres_la_cloture(
    ouvrir_visite, scrutins, code_de_vote, creer_scrutin
) -> None:
    """On a phone, then at every width, the voting space shows each scrutin's state and
    action without sideways scrolling (RGAA 10.11): one to vote in, one whose bureau has
    not sealed it yet (with a long name), and, after the vote, one already voted in."""
    from datetime import timedelta

    from isoloir.core import horloge
    from isoloir.elections.models import Inscription
    from tests.e2e.conftest import ECRAN_TELEPHONE

    csa, _ = scrutins
    pas_scelle = creer_scrutin(
        csa.campagne,
        code="ccp-contractuels",
        intitule="Commission consultative paritaire des agents contractuels "
        "de l'administration centrale et des services déconcentrés",
        type="CCP",
    )
    electeur = Inscription.objects.filter(scrutin=csa).get().electeur
    Inscription.objects.create(electeur=electeur, scrutin=pas_scelle)
    visite = ouvrir_visite(ECRAN_TELEPHONE)
    page = visite.page
    _ouvrir_l_espace(visite, code_de_vote)
    visite.controler_aux_largeurs("vote-espace")
    _aller(visite, f"/portail/vote/scrutin/{csa.pk}/")
    expect(page.locator("#etape-choix")).to_be_visible()
    visite.controler_aux_largeurs("vote-choix")
    page.locator("label[for=choix-1]").click()
    page.get_by_role("button", name="Continuer").click()
    visite.controler_aux_largeurs("vote-confirmation")
    page.get_by_role("button", name="Valider mon vote").click()
    page.wait_for_selector("#traceur")
    traceur = page.locator("#traceur").inner_text().strip()
    visite.controler_aux_largeurs("vote-accuse")
    _aller(visite, "/portail/vote/espace/")
    expect(page.get_by_text("Voté le")).to_be_visible()
    visite.controler_aux_largeurs("vote-espace-apres-le-vote")

    with horloge.decalee_de(timedelta(days=9)):
        _aller(visite, f"/tableau/{csa.campagne.slug}/{csa.code}/")
        expect(page.get_by_text("Le vote est clos")).to_be_visible()
        expect(page.get_by_role("cell", name=traceur)).to_be_visible()
        visite.controler_aux_largeurs("vote-tableau-apres-cloture")
