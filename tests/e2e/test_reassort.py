"""The code de vote and its réassort, in a real browser: code entry, CAPTCHA, the request by
question défi (e-mail and SMS), the single-use link, the new code shown for 120 seconds.

The link mail goes through the loopback SMTP server, the SMS through the in-memory outbox;
the information and confirmation mails go through the task worker. Every screen is
screenshotted and checked by axe-core (see ``conftest.py``). The 120 seconds run on
Playwright's clock, and the link's expiry on the product's clock (the live server runs in
this process, so :func:`isoloir.core.horloge.decalee_de` applies to it).
"""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.votecode import services
from isoloir.votecode.models import Origine
from tests.e2e.conftest import Visite, tabuler_jusqua
from tests.factories import MOT_DE_PASSE, REPONSE
from tests.smtp import lien, texte

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

EMAIL_PRO = "marc.campodifiori@ac-lyon.fr"
NUMEN = "69E9501234ABC"
PERSO = "marc.perso@exemple.org"
PERSO_MASQUE = "m***@exemple.org"
QUESTION = "Quel était le nom de votre premier animal de compagnie ?"
CHEMIN_LIEN = "/portail/reassort/code-vote"
REFUS_IDENTIFICATION = "La réponse secrète ou le NUMEN est incorrect."
ESPACE = re.compile(r"/portail/vote/espace/$")


@pytest.fixture
def electeur(scrutin_ouvert, creer_electeur, live_server, settings) -> Electeur:
    """An active voter of an open vote; mailed links point at the live server."""
    settings.ISOLOIR_BASE_URL = live_server.url
    return creer_electeur(
        scrutin_ouvert,
        active=True,
        email=EMAIL_PRO,
        nom_naissance="Campodifiori",
        prenoms="Marc",
        civilite="M.",
        numen=NUMEN,
    )


@pytest.fixture
def code_actuel(electeur: Electeur) -> str:
    with transaction.atomic():
        return services.emettre(electeur=electeur, origine=Origine.INITIAL)


# --- Helpers ------------------------------------------------------------------------------


def _se_connecter(visite: Visite) -> None:
    page = visite.page
    page.goto(visite.url("/portail/connexion/"))
    page.get_by_label("Adresse électronique professionnelle *").fill(EMAIL_PRO)
    page.get_by_label("Mot de passe élections *").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/portail/$"))


def _saisir_code(page: Page, code_de_vote: str) -> None:
    page.locator("#id_code_de_vote").fill(code_de_vote)
    page.locator("#id_captcha_1").fill("PASSED")
    page.get_by_role("button", name="Connexion", exact=True).click()


def _demander(
    page: Page,
    *,
    email: str | None = None,
    mobile: str | None = None,
    reponse: str = REPONSE,
    numen: str = NUMEN,
) -> None:
    """Fill and send the réassort request form, by e-mail or by SMS."""
    page.get_by_label("Saisissez votre réponse secrète *").fill(reponse)
    page.get_by_label("Saisissez votre NUMEN *").fill(numen)
    if mobile is not None:
        _choisir_canal(page, "SMS")
        page.get_by_label("Numéro de téléphone mobile personnel").fill(mobile)
    else:
        assert email is not None
        _choisir_canal(page, "E-MAIL")
        page.get_by_label("Adresse mail personnelle").fill(email)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_load_state("load")


def _choisir_canal(page: Page, canal: str) -> None:
    """Click the radio's label, as a user does: DSFR draws the radio over the input."""
    libelle = f"Envoi du lien d'activation par {canal}"
    page.locator("label.fr-label", has_text=libelle).click()
    expect(page.get_by_role("radio", name=re.compile("^" + re.escape(libelle)))).to_be_checked()


def _ouvrir_demande(visite: Visite) -> None:
    visite.page.goto(visite.url("/portail/reassort/question/"))
    expect(visite.page.locator("h1")).to_have_text("Demande de réassort du code de vote")


def _lien_du_courriel(boite, nombre: int, live_server) -> str:
    """The link of the ``nombre``-th mail sent to the personal address."""
    messages = [m for m in boite.attendre(nombre) if m["To"] == PERSO]
    assert len(messages) == nombre, [m["To"] for m in boite.messages]
    message = messages[-1]
    assert message["Subject"] == "Procéder au réassort de votre code de vote"
    url = lien(message, CHEMIN_LIEN)
    assert url.startswith(live_server.url + CHEMIN_LIEN + "?token=")
    return url


def _regenerer(visite: Visite, url: str, nom: str) -> str:
    """Open the link, check its page, click the button; returns the new code read from
    the page. The POST's response must not be stored."""
    page = visite.page
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Réassort du code de vote")
    contenu = page.locator("main")
    expect(contenu).to_contain_text(
        "Avant de régénérer votre code de vote, veuillez vous munir de tout moyen permettant "
        "de le conserver (appareil photo de votre smartphone ou crayon avec support papier)."
    )
    expect(contenu).to_contain_text(
        "Votre nouveau code de vote, composé de caractères spéciaux et alphanumériques, ne "
        "sera visible à l'écran que durant 120 secondes."
    )
    bouton = page.get_by_role("button", name="REGENERER MON CODE DE VOTE")
    expect(bouton).to_be_visible()
    visite.controler(f"{nom}-lien")

    with page.expect_response(
        lambda r: r.request.method == "POST" and CHEMIN_LIEN in r.url
    ) as reponse:
        bouton.click()
    assert "no-store" in reponse.value.headers["cache-control"]
    bloc = page.locator("#nouveau-code")
    expect(bloc).to_be_visible()
    expect(bloc).to_contain_text("Le nouveau code de vote")
    # Two lines, as in the reference screen.
    assert bloc.locator("strong").inner_text() == (
        "Vous avez 120 secondes\npour copier ou noter le code."
    )
    expect(bloc.get_by_role("timer")).to_contain_text("secondes restantes")
    nouveau = bloc.locator("[translate=no]").inner_text()
    assert len(nouveau) == 16, nouveau
    visite.controler(f"{nom}-nouveau-code")
    return nouveau


def _absent(page: Page, secret: str) -> None:
    assert secret not in page.locator("body").inner_text(), f"le code est affiché : {page.url}"
    assert secret not in page.evaluate("document.documentElement.textContent")


# --- Tests --------------------------------------------------------------------------------


def test_reassort_par_question_defi_et_e_mail(
    visite: Visite, electeur, code_actuel, boite, executer_taches, live_server
) -> None:
    page = visite.page

    # 1. From the portal's home, the "Je vote" line opens the code entry.
    _se_connecter(visite)
    page.get_by_role(
        "link", name="Consulter les scrutins, les candidatures et voter", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/portail/vote/code/$"))
    expect(page.locator("h1")).to_have_text("Saisie du code de vote")
    contenu = page.locator("main")
    for phrase in (
        "Pour accéder à votre espace de vote, veuillez renseigner votre code de vote (votre "
        "code de vote vous a été remis en main propre avec la notice de vote)",
        "puis recopiez le CAPTCHA visible sur cet écran.",
        "* : champ obligatoire",
        "Veuillez saisir le CAPTCHA ci-dessous :",
    ):
        expect(contenu).to_contain_text(phrase)
    expect(page.get_by_label("Code de vote *")).to_have_attribute("type", "password")
    expect(page.get_by_label("CAPTCHA *")).to_be_visible()
    expect(
        page.get_by_role("link", name="Cliquez ici pour obtenir un réassort de votre code de vote")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Retour", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Connexion", exact=True)).to_be_visible()

    # The CAPTCHA: a loaded image with a French alternative, and its audio version.
    image = page.get_by_role("img", name="Image CAPTCHA : recopiez les 5 chiffres affichés")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    audio = page.locator("audio[data-captcha-audio]")
    expect(audio).to_be_visible()
    expect(audio).to_have_attribute("controls", "")
    expect(audio).to_have_accessible_name(
        "Version audio du CAPTCHA : les 5 chiffres lus en français."
    )
    son = page.request.get(visite.url(audio.get_attribute("src") or ""))
    assert son.ok and son.headers["content-type"].startswith("audio/"), son.headers
    assert son.body()[:4] == b"RIFF"
    visite.controler_aux_largeurs("reassort-saisie-code")

    # "Nouvelle image" (with JavaScript: a button) swaps image, audio and key in place.
    expect(page.get_by_role("link", name="Nouvelle image")).to_be_hidden()
    cle = page.locator("[data-captcha-cle]")
    avant = (cle.input_value(), image.get_attribute("src"), audio.get_attribute("src"))
    page.get_by_label("CAPTCHA *").fill("12345")
    page.get_by_role("button", name="Nouvelle image").click()
    expect(cle).not_to_have_value(avant[0])
    expect(image).not_to_have_attribute("src", avant[1] or "")
    expect(audio).not_to_have_attribute("src", avant[2] or "")
    expect(page.get_by_label("CAPTCHA *")).to_have_value("")
    expect(page.locator("[data-captcha-annonce]")).to_have_text(
        "Nouvelle image chargée. La version audio a aussi changé."
    )
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    visite.controler("reassort-saisie-code-nouvelle-image")

    # 2. The current code opens the voting space.
    _saisir_code(page, code_actuel)
    page.wait_for_url(ESPACE)
    expect(page.locator("h1")).to_have_text("Mon espace de vote")
    expect(page.get_by_role("table")).to_contain_text("CSA ministériel de l'Éducation nationale")
    visite.controler("reassort-espace-de-vote")
    page.get_by_role("button", name="Fermer mon espace de vote").click()
    page.wait_for_url(re.compile(r"/portail/$"))

    # 3. The code is lost: from the code page to the choice of the réassort.
    page.goto(visite.url("/portail/vote/code/"))
    page.get_by_role(
        "link", name="Cliquez ici pour obtenir un réassort de votre code de vote"
    ).click()
    page.wait_for_url(re.compile(r"/portail/reassort/$"))
    expect(page.locator("h1")).to_have_text("Choix du réassort de votre code de vote")
    expect(page.locator("main")).to_contain_text(
        "Veuillez choisir le mode de récupération de votre code de vote :"
    )
    expect(page.locator("main")).to_contain_text(
        "Répondre à votre question Défi avec votre réponse secrète"
    )
    expect(page.locator("main")).to_contain_text("FranceConnect")
    visite.controler_aux_largeurs("reassort-choix")
    page.get_by_role("link", name="cliquez ici", exact=True).click()

    # 4. The request: the question, the answer, the NUMEN, the channel.
    page.wait_for_url(re.compile(r"/portail/reassort/question/$"))
    expect(page.locator("h1")).to_have_text("Demande de réassort du code de vote")
    expect(page.locator("#question-defi")).to_have_text(QUESTION)
    for phrase in (
        "* : champ obligatoire",
        "Votre question Défi :",
        "Pour déclencher la procédure de réassort de votre code de vote, veuillez renseigner :",
        "ATTENTION :",
        "n'est pas enregistré en base de données par la solution de vote électronique",
    ):
        expect(page.locator("main")).to_contain_text(phrase)
    expect(page.get_by_label("Saisissez votre réponse secrète *")).to_have_attribute(
        "type", "password"
    )
    expect(page.get_by_label("Saisissez votre NUMEN *")).to_have_attribute("type", "password")
    visite.controler("reassort-demande")
    page.get_by_label("Saisissez votre réponse secrète *").fill(REPONSE)
    page.get_by_label("Saisissez votre NUMEN *").fill(NUMEN)
    _choisir_canal(page, "E-MAIL")
    page.get_by_label("Adresse mail personnelle").fill(PERSO)
    visite.controler_aux_largeurs("reassort-demande-remplie")
    page.get_by_role("button", name="Valider").click()

    # 5. "Lien envoyé", to a masked address; the link is in the personal mailbox.
    alerte = page.locator(".fr-alert--success")
    expect(alerte).to_contain_text("Lien envoyé")
    expect(alerte).to_contain_text(f"par e-mail à {PERSO_MASQUE}")
    expect(page.locator("main")).not_to_contain_text(PERSO)
    visite.controler_aux_largeurs("reassort-lien-envoye")
    url = _lien_du_courriel(boite, 1, live_server)
    (message,) = [m for m in boite.messages if m["To"] == PERSO]
    assert "Bonjour Marc CAMPODIFIORI," in texte(message)
    assert "Vous avez demandé la réinitialisation de votre code de vote." in texte(message)

    # 6. The link's page, the button, the new code; the countdown runs on Playwright's
    # clock, installed before the new code's page loads.
    page.clock.install()
    nouveau = _regenerer(visite, url, "reassort")
    assert nouveau != code_actuel
    reste = page.locator("#nouveau-code [data-reste]")
    expect(reste).to_have_text(re.compile(r"^1[01]\d|120$"))

    # 7. The same link in a second tab: already used, no code.
    onglet = Visite(
        page=page.context.new_page(),
        source_axe=visite.source_axe,
        base=visite.base,
        numeros=visite.numeros,
    )
    onglet.page.goto(url)
    expect(onglet.page.get_by_role("alert")).to_contain_text(
        "Ce lien a déjà été utilisé. Chaque lien ne sert qu'une seule fois."
    )
    expect(onglet.page.get_by_role("button", name="REGENERER MON CODE DE VOTE")).to_have_count(0)
    _absent(onglet.page, nouveau)
    onglet.controler("reassort-lien-deja-utilise")
    onglet.page.close()

    # 8. One minute later the countdown is down to 60 seconds or less.
    page.bring_to_front()
    page.clock.fast_forward(60_000)
    page.wait_for_function(
        "() => Number(document.querySelector('#nouveau-code [data-reste]').textContent) <= 60"
    )
    expect(page.locator("#nouveau-code")).to_contain_text(nouveau)
    visite.controler("reassort-nouveau-code-une-minute-apres")

    # 9. After 120 seconds the code leaves the DOM, then the page. Playwright cannot read
    # a page that is leaving, so the page itself notes, when the block is emptied, what
    # it still shows; sessionStorage carries the note to the next page of the tab.
    page.evaluate(
        """(code) => {
            const bloc = document.getElementById("nouveau-code");
            new MutationObserver(() => {
                if (bloc.querySelector("[data-reste]")) return;
                sessionStorage.setItem("essai-bloc", bloc.innerText.trim());
                sessionStorage.setItem("essai-code-present", String(
                    document.documentElement.outerHTML.includes(code)
                    || document.documentElement.textContent.includes(code)));
            }).observe(bloc, {childList: true});
        }""",
        nouveau,
    )
    page.clock.fast_forward(61_000)
    page.wait_for_url(re.compile(r"/portail/reassort/termine/$"))
    expect(page.get_by_role("status")).to_contain_text("Le code n'est plus affiché")
    note = page.evaluate(
        "() => [sessionStorage.getItem('essai-bloc'), sessionStorage.getItem('essai-code-present')]"
    )
    assert note == ["Le délai de 120 secondes est écoulé : le code n'est plus affiché.", "false"]
    expect(page.get_by_role("link", name="Accéder à mon espace de vote")).to_be_visible()
    _absent(page, nouveau)
    visite.controler_aux_largeurs("reassort-termine")

    # 10. Back: the code's page was replaced in the history, and the link's page is not
    # stored: the browser asks the server again, which refuses the spent link.
    page.go_back()
    page.wait_for_load_state("load")
    _absent(page, nouveau)
    expect(page.get_by_role("alert")).to_contain_text("Ce lien a déjà été utilisé")
    visite.controler("reassort-retour-arriere")

    # 11. The old code is refused, with the generic message and a new CAPTCHA.
    page.goto(visite.url("/portail/vote/code/"))
    premier_defi = page.locator("[data-captcha-cle]").input_value()
    _saisir_code(page, code_actuel)
    page.wait_for_load_state("load")
    expect(page.get_by_role("alert")).to_contain_text("Accès refusé")
    expect(page.get_by_role("alert")).to_contain_text(services.CodeRefuse.message)
    expect(page.locator("[data-captcha-cle]")).not_to_have_value(premier_defi)
    expect(page.locator("#id_code_de_vote")).to_have_value("")
    expect(page.locator("#id_captcha_1")).to_have_value("")
    _absent(page, code_actuel)
    visite.controler("reassort-ancien-code-refuse")

    # 12. The new code opens the voting space.
    _saisir_code(page, nouveau)
    page.wait_for_url(ESPACE)
    expect(page.locator("h1")).to_have_text("Mon espace de vote")
    visite.controler("reassort-espace-nouveau-code")

    # 13. The professional address got the information and the confirmation, no code.
    executer_taches()
    boite.attendre(3)
    pro = {m["Subject"]: m for m in boite.messages if m["To"] == EMAIL_PRO}
    assert set(pro) == {
        "Demande de réassort de votre code de vote",
        "Votre code de vote a été renouvelé",
    }, list(pro)
    info = texte(pro["Demande de réassort de votre code de vote"])
    assert "Vous avez demandé le réassort de votre code de vote." in info
    assert f"par e-mail à : {PERSO_MASQUE}" in info
    assert "Votre ancien code de vote ne fonctionne plus." in texte(
        pro["Votre code de vote a été renouvelé"]
    )
    jeton = url.split("token=")[1].split("&")[0]
    for message in pro.values():
        brut = message.as_string()
        for secret in (nouveau, code_actuel, PERSO, jeton, NUMEN):
            assert secret not in brut, (message["Subject"], secret)


def test_reassort_par_sms(
    visite: Visite, electeur, code_actuel, sms, boite, executer_taches
) -> None:
    page = visite.page
    _se_connecter(visite)
    page.goto(visite.url("/portail/vote/code/"))
    page.get_by_role(
        "link", name="Cliquez ici pour obtenir un réassort de votre code de vote"
    ).click()
    page.get_by_role("link", name="cliquez ici", exact=True).click()
    page.wait_for_url(re.compile(r"/portail/reassort/question/$"))

    page.get_by_label("Saisissez votre réponse secrète *").fill(REPONSE)
    page.get_by_label("Saisissez votre NUMEN *").fill(NUMEN)
    _choisir_canal(page, "SMS")
    page.get_by_label("Numéro de téléphone mobile personnel").fill("06 12 34 56 78")
    visite.controler("reassort-sms-demande")
    page.get_by_role("button", name="Valider").click()

    alerte = page.locator(".fr-alert--success")
    expect(alerte).to_contain_text("Lien envoyé")
    expect(alerte).to_contain_text("par SMS au 06 •• •• •• 78")
    expect(page.locator("main")).to_contain_text("vérifiez le numéro saisi")
    visite.controler("reassort-sms-lien-envoye")
    (envoye,) = sms
    assert envoye.numero == "+33612345678"
    trouve = re.search(r"https?://\S+" + re.escape(CHEMIN_LIEN) + r"\S*", envoye.texte)
    assert trouve, envoye.texte
    assert not [m for m in boite.messages if m["To"] != EMAIL_PRO]  # no mail with the link

    nouveau = _regenerer(visite, trouve.group(0), "reassort-sms")
    assert nouveau != code_actuel

    page.goto(visite.url("/portail/vote/code/"))
    _saisir_code(page, nouveau)
    page.wait_for_url(ESPACE)
    expect(page.locator("h1")).to_have_text("Mon espace de vote")
    visite.controler("reassort-sms-espace-de-vote")

    executer_taches()
    pro = {m["Subject"]: texte(m) for m in boite.attendre(2) if m["To"] == EMAIL_PRO}
    assert "par SMS à : 06 •• •• •• 78" in pro["Demande de réassort de votre code de vote"]
    assert "Votre code de vote a été renouvelé" in pro
    for corps in pro.values():
        assert nouveau not in corps and "12 34 56" not in corps


def test_reassort_refus_de_la_demande(
    visite: Visite, electeur, code_actuel, boite, executer_taches, settings
) -> None:
    settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR = 2
    page = visite.page
    _se_connecter(visite)
    _ouvrir_demande(visite)

    # The professional address as the personal one: an error by the field, nothing checked.
    _demander(page, email=EMAIL_PRO)
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    champ = page.get_by_label("Adresse mail personnelle")
    expect(champ).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_personnel-erreur")).to_have_text(
        "Choisissez une adresse personnelle, différente de votre adresse professionnelle."
    )
    expect(page.get_by_label("Saisissez votre NUMEN *")).to_have_value("")  # not sent back
    visite.controler_aux_largeurs("reassort-refus-adresse-professionnelle")

    # A wrong answer: one message for the answer and the NUMEN.
    _demander(page, email=PERSO, reponse="Rex")
    alerte = page.get_by_role("alert")
    expect(alerte).to_contain_text("Demande refusée")
    expect(alerte).to_contain_text(REFUS_IDENTIFICATION)
    visite.controler("reassort-refus-mauvaise-reponse")

    # The second failure of the day locks the réassort, even with the right answers next.
    _demander(page, email=PERSO, numen="69E9501234ABD")
    expect(page.get_by_role("alert")).to_contain_text("bloqué pour 24 heures")
    visite.controler("reassort-refus-bloque")
    _demander(page, email=PERSO)
    expect(page.get_by_role("alert")).to_contain_text("bloqué pour 24 heures")
    assert not [m for m in boite.messages if m["To"] == PERSO]

    executer_taches()
    (alerte_pro,) = boite.attendre(1)
    assert alerte_pro["To"] == EMAIL_PRO
    assert alerte_pro["Subject"] == "Réassort de votre code de vote bloqué"


def test_reassort_liens_inutilisables(
    visite: Visite, electeur, code_actuel, boite, live_server
) -> None:
    page = visite.page
    _se_connecter(visite)

    # Two requests: the first link is replaced by the second.
    _ouvrir_demande(visite)
    _demander(page, email=PERSO)
    premier = _lien_du_courriel(boite, 1, live_server)
    _ouvrir_demande(visite)
    _demander(page, email=PERSO)
    second = _lien_du_courriel(boite, 2, live_server)
    page.goto(premier)
    expect(page.get_by_role("alert")).to_contain_text("remplacé par un lien plus récent")
    expect(page.get_by_role("button", name="REGENERER MON CODE DE VOTE")).to_have_count(0)
    visite.controler("reassort-lien-remplace")

    # Eleven minutes later the second has expired.
    with horloge.decalee_de(timedelta(minutes=11)):
        page.goto(second)
        expect(page.get_by_role("alert")).to_contain_text("Ce lien a expiré")
    expect(page.get_by_role("button", name="REGENERER MON CODE DE VOTE")).to_have_count(0)
    visite.controler_aux_largeurs("reassort-lien-expire")
    page.get_by_role("link", name="Nouvelle demande de réassort").click()
    page.wait_for_url(re.compile(r"/portail/reassort/$"))

    # A third one, used, then opened again: refused, and the code is not shown again.
    _ouvrir_demande(visite)
    _demander(page, email=PERSO)
    troisieme = _lien_du_courriel(boite, 3, live_server)
    nouveau = _regenerer(visite, troisieme, "reassort-rejeu")
    page.goto(troisieme)
    expect(page.get_by_role("alert")).to_contain_text("Ce lien a déjà été utilisé")
    _absent(page, nouveau)
    visite.controler("reassort-lien-rejoue")


def test_saisie_du_code_au_clavier(visite: Visite, electeur, code_actuel) -> None:
    """Tab to the code, type it; a new CAPTCHA image from the keyboard; Tab to the
    CAPTCHA's answer, type it, Enter."""
    page = visite.page
    _se_connecter(visite)
    page.goto(visite.url("/portail/vote/code/"))
    tabuler_jusqua(page, "#id_code_de_vote")
    page.keyboard.type(code_actuel)
    expect(page.locator("#id_code_de_vote")).to_have_value(code_actuel)

    # "Nouvelle image" is a plain button: Enter on it changes the image, not the page.
    cle = page.locator("[data-captcha-cle]")
    avant = cle.input_value()
    tabuler_jusqua(page, "[data-captcha-rafraichir]")
    page.keyboard.press("Enter")
    expect(cle).not_to_have_value(avant)
    assert page.url == visite.url("/portail/vote/code/")
    expect(page.locator("#id_code_de_vote")).to_have_value(code_actuel)  # kept

    tabuler_jusqua(page, "#id_captcha_1")
    page.keyboard.type("PASSED")
    visite.controler("reassort-clavier-saisie-code")
    page.keyboard.press("Enter")
    page.wait_for_url(ESPACE)
    expect(page.locator("h1")).to_have_text("Mon espace de vote")
    visite.controler("reassort-clavier-espace-de-vote")
