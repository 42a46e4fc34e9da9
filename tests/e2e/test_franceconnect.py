"""The FranceConnect path of the réassort, in a real browser.

The voter logs in to the portal, asks for a réassort and picks FranceConnect: Chromium
goes to the loopback OpenID Connect provider (tools/oidc-provider, panva's oidc-provider
configured like FranceConnect v2, see ``tests/franceconnect/pair.py``), which logs in the
identity set through its test endpoint and sends the browser back to the portal's
callback. The provider shows no page of its own (its login and consent are automatic
redirects), so only the portal's screens are screenshotted and checked by axe-core.
"""

import re
import secrets
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from playwright.sync_api import Page, Request, expect

from isoloir.accounts.models import Electeur
from isoloir.votecode import services
from tests.e2e.conftest import Visite
from tests.factories import MOT_DE_PASSE
from tests.franceconnect.pair import CLIENT_ID, CLIENT_SECRET, PairOIDC
from tests.smtp import html, texte

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

EMAIL_PRO = "anne-sophie.leguerec@ac-rennes.fr"
ECHEC = "Votre identité FranceConnect ne correspond pas à la liste électorale"
CHEMIN_LIEN = "/portail/reassort/code-vote"
ESPACE = re.compile(r"/portail/vote/espace/$")


# --- Fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair_navigateur(live_server) -> Iterator[PairOIDC]:
    """The provider, with the live server's callback as the client's only redirect URI."""
    pair = PairOIDC(
        redirect_uri=live_server.url + reverse("franceconnect:retour"),
        post_logout_redirect_uri=live_server.url + reverse("franceconnect:deconnexion_retour"),
    )
    pair.demarrer()
    yield pair
    pair.arreter()


@pytest.fixture
def fc(settings, live_server, pair_navigateur: PairOIDC) -> PairOIDC:
    """The portal, run by the live server, points at the provider."""
    settings.ISOLOIR_BASE_URL = live_server.url
    settings.ISOLOIR_FC_ISSUER = pair_navigateur.issuer
    settings.ISOLOIR_FC_CLIENT_ID = CLIENT_ID
    settings.ISOLOIR_FC_CLIENT_SECRET = CLIENT_SECRET
    pair_navigateur.suivre_l_horloge()
    return pair_navigateur


@pytest.fixture
def electeur(scrutin_ouvert, creer_electeur) -> Electeur:
    """An active voter of an open vote, whose names have accents, hyphen and particle."""
    return creer_electeur(
        scrutin_ouvert,
        active=True,
        email=EMAIL_PRO,
        civilite="Mme",
        nom_naissance="Le Guérec",
        nom_usage="Saint-Éloi",
        prenoms="Anne-Sophie Marie",
        date_naissance=date(1977, 5, 4),
        commune_naissance="29019",
    )


@pytest.fixture
def code_actuel(electeur: Electeur) -> str:
    with transaction.atomic():
        return services.emettre_code_initial(electeur=electeur)


def _identite(**surcharges: Any) -> dict[str, Any]:
    """The pivot identity FranceConnect sends for the voter above: capitals, no accents."""
    revendications: dict[str, Any] = {
        "sub": f"usager-{secrets.token_hex(8)}",
        "given_name": "ANNE-SOPHIE MARIE",
        "given_name_array": ["ANNE-SOPHIE", "MARIE"],
        "family_name": "LE GUEREC",
        "birthdate": "1977-05-04",
        "gender": "female",
        "birthplace": "29019",
        "birthcountry": "99100",
        "preferred_username": "SAINT-ELOI",
    }
    revendications.update(surcharges)
    return revendications


# --- Helpers ------------------------------------------------------------------------------


def _se_connecter(visite: Visite) -> None:
    page = visite.page
    page.goto(visite.url("/portail/connexion/"))
    page.get_by_label("Adresse électronique professionnelle *").fill(EMAIL_PRO)
    page.get_by_label("Mot de passe élections *").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/portail/$"))


def _vers_saisie_du_code(visite: Visite) -> None:
    """From the home page, through the "Je vote" line, as the voter does."""
    page = visite.page
    page.goto(visite.url("/portail/"))
    page.get_by_role(
        "link", name="Consulter les scrutins, les candidatures et voter", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/portail/vote/code/$"))
    expect(page.locator("h1")).to_have_text("Saisie du code de vote")


def _vers_choix_du_reassort(visite: Visite, nom: str) -> None:
    page = visite.page
    _vers_saisie_du_code(visite)
    page.get_by_role(
        "link", name="Cliquez ici pour obtenir un réassort de votre code de vote"
    ).click()
    page.wait_for_url(re.compile(r"/portail/reassort/$"))
    expect(page.locator("h1")).to_have_text("Choix du réassort de votre code de vote")
    bouton = page.locator("a.fr-connect")
    expect(bouton).to_be_visible()
    expect(bouton).to_have_accessible_name(re.compile(r"S’identifier avec\s*FranceConnect"))
    expect(bouton).to_have_attribute("href", reverse("franceconnect:connexion"))
    # The DSFR button's own look: the FranceConnect logo before its text.
    logo = bouton.evaluate("a => getComputedStyle(a, '::before').backgroundImage")
    assert logo.startswith("url("), f"logo FranceConnect absent : {logo}"
    expect(page.get_by_role("link", name="Qu’est-ce que FranceConnect ?")).to_have_attribute(
        "target", "_blank"
    )
    visite.controler(nom)


def _par_franceconnect(visite: Visite, pair: PairOIDC, identite: dict[str, Any]) -> list[str]:
    """Click the FranceConnect button with ``identite`` as the provider's next user;
    returns the addresses the browser was taken through, until back at the portal."""
    page = visite.page
    pair.preparer_usager(identite)
    navigations: list[str] = []

    def noter(requete: Request) -> None:
        if requete.is_navigation_request() and requete.frame == page.main_frame:
            navigations.append(requete.url)

    page.on("request", noter)
    page.locator("a.fr-connect").click()
    # The provider's steps are redirects: the next page the tab shows is the portal's.
    page.wait_for_url(
        lambda url: (
            url.startswith(visite.base) and any(u.startswith(pair.origine) for u in navigations)
        )
    )
    page.wait_for_load_state("load")
    page.remove_listener("request", noter)

    chez_le_fournisseur = [u for u in navigations if u.startswith(pair.origine)]
    assert any(u.startswith(f"{pair.issuer}/authorize?") for u in chez_le_fournisseur), navigations
    assert any(u.startswith(f"{pair.origine}/interaction/") for u in chez_le_fournisseur), (
        navigations
    )
    retour = visite.url(reverse("franceconnect:retour"))
    assert any(u.startswith(retour + "?code=") for u in navigations), navigations
    return navigations


def _saisir_code(page: Page, code_de_vote: str) -> None:
    page.locator("#id_code_de_vote").fill(code_de_vote)
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="Connexion", exact=True).click()
    page.wait_for_load_state("load")


# --- Tests --------------------------------------------------------------------------------


def test_reassort_par_franceconnect(
    visite: Visite, fc: PairOIDC, electeur, code_actuel, boite, executer_taches
) -> None:
    page = visite.page

    # 1. Logged in, the voter goes from the home page to the choice of the réassort.
    _se_connecter(visite)
    _vers_choix_du_reassort(visite, "fc-choix-reassort")

    # 2. The FranceConnect button: the provider logs the voter in (its pages are
    # redirects only), and the portal's callback opens the réassort page.
    navigations = _par_franceconnect(visite, fc, _identite())
    page.wait_for_url(re.compile(re.escape(visite.url(CHEMIN_LIEN)) + r"\?token="))
    assert "code=" not in page.url and "state=" not in page.url
    assert any(CHEMIN_LIEN in u for u in navigations[-2:]), navigations
    expect(page.locator("h1")).to_have_text("Réassort du code de vote")
    expect(page.locator("main")).to_contain_text(
        "Avant de régénérer votre code de vote, veuillez vous munir de tout moyen permettant "
        "de le conserver (appareil photo de votre smartphone ou crayon avec support papier)."
    )
    bouton = page.get_by_role("button", name="REGENERER MON CODE DE VOTE")
    expect(bouton).to_be_visible()
    visite.controler("fc-reassort")

    # 3. The new code, shown once.
    with page.expect_response(
        lambda r: r.request.method == "POST" and CHEMIN_LIEN in r.url
    ) as reponse:
        bouton.click()
    assert reponse.value.status == 200
    assert "no-store" in reponse.value.headers["cache-control"]
    bloc = page.locator("#nouveau-code")
    expect(bloc).to_be_visible()
    expect(bloc).to_contain_text("Le nouveau code de vote")
    expect(bloc.get_by_role("timer")).to_contain_text("secondes restantes")
    nouveau = bloc.locator("[translate=no]").inner_text()
    assert len(nouveau) == 16, nouveau
    assert nouveau != code_actuel
    expect(page.locator("main")).to_contain_text("Votre ancien code de vote ne fonctionne plus.")
    visite.controler("fc-nouveau-code")

    # 4. The old code is refused...
    _vers_saisie_du_code(visite)
    _saisir_code(page, code_actuel)
    expect(page.get_by_role("alert")).to_contain_text("Accès refusé")
    expect(page.get_by_role("alert")).to_contain_text(services.CodeRefuse.message)
    expect(page.locator("#id_code_de_vote")).to_have_value("")
    visite.controler("fc-ancien-code-refuse")

    # 5. ...and the new one opens the voting space.
    _saisir_code(page, nouveau)
    page.wait_for_url(ESPACE)
    expect(page.locator("h1")).to_have_text("Mon espace de vote")
    expect(page.get_by_role("table")).to_contain_text("CSA ministériel de l'Éducation nationale")
    visite.controler("fc-espace-de-vote")

    # 6. The professional address is told, through FranceConnect, with no code in it.
    executer_taches()
    messages = {m["Subject"]: m for m in boite.attendre(2) if m["To"] == EMAIL_PRO}
    assert set(messages) == {
        "Demande de réassort de votre code de vote",
        "Votre code de vote a été renouvelé",
    }, list(messages)
    assert "Votre identité a été vérifiée via FranceConnect" in texte(
        messages["Demande de réassort de votre code de vote"]
    )
    for message in messages.values():
        for code in (nouveau, code_actuel):
            assert code not in message.as_string(), message["Subject"]
        # Nor what FranceConnect said of the voter (read decoded: the raw message's
        # encodings and random boundaries could hold any digits).
        lisible = texte(message) + html(message)
        for donnee in ("1977", "GUEREC", "29019"):
            assert donnee not in lisible, (message["Subject"], donnee)


def test_identite_discordante_puis_question_defi(
    visite: Visite, fc: PairOIDC, electeur, code_actuel
) -> None:
    page = visite.page
    _se_connecter(visite)
    _vers_choix_du_reassort(visite, "fc-choix-avant-echec")

    # FranceConnect vouches for the same person born on another day: no réassort.
    _par_franceconnect(visite, fc, _identite(birthdate="1977-05-05"))
    page.wait_for_url(re.compile(re.escape(visite.url(reverse("franceconnect:retour")))))
    expect(page.locator("h1")).to_have_text("Réassort par FranceConnect")
    alerte = page.get_by_role("alert")
    expect(alerte).to_contain_text(ECHEC)
    expect(alerte.locator("li")).to_have_text(["la date de naissance"])
    expect(page.locator("main")).not_to_contain_text("1977")
    expect(page.get_by_role("button", name="Se déconnecter de FranceConnect")).to_be_visible()
    expect(page.get_by_role("link", name="Contacter l'assistance")).to_be_visible()
    expect(page.get_by_role("button", name="REGENERER MON CODE DE VOTE")).to_have_count(0)
    visite.controler("fc-echec-identite")

    # The question défi is offered instead.
    page.get_by_role("link", name="Répondre à ma question défi").click()
    page.wait_for_url(re.compile(r"/portail/reassort/question/$"))
    expect(page.locator("h1")).to_have_text("Demande de réassort du code de vote")
    expect(page.locator("#question-defi")).to_have_text(
        "Quel était le nom de votre premier animal de compagnie ?"
    )
    visite.controler("fc-echec-question-defi")


def test_deconnexion_de_franceconnect(visite: Visite, fc: PairOIDC, electeur, code_actuel) -> None:
    """From the failure page, on a shared computer: out of FranceConnect, back home."""
    page = visite.page
    _se_connecter(visite)
    _vers_choix_du_reassort(visite, "fc-choix-avant-deconnexion")
    _par_franceconnect(visite, fc, _identite(birthdate="1977-05-05"))
    expect(page.get_by_role("alert")).to_contain_text(ECHEC)

    pages_du_fournisseur: list[str] = []
    page.on(
        "response",
        lambda r: (
            pages_du_fournisseur.append(r.url)
            if r.url.startswith(fc.origine) and r.request.is_navigation_request()
            else None
        ),
    )
    page.get_by_role("button", name="Se déconnecter de FranceConnect").click()
    page.wait_for_url(re.compile(r"/portail/$"))
    assert any(u.startswith(f"{fc.issuer}/session/end") for u in pages_du_fournisseur), (
        pages_du_fournisseur
    )
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté de FranceConnect.")
    visite.controler("fc-deconnecte-de-franceconnect")
