"""The second factor in a real browser, keyboard only.

A bureau member asks for the participation page: the login, then the enrolment of an
authenticator application. The test reads the secret from the page as a member typing it
into their phone would, computes the codes with django-otp's own TOTP, mistypes once
(the field gets the focus and its message), enrols, keeps the recovery codes (print
button by keyboard), reaches the page. In a new browser: the verification page, a
recovery code, then the application's code. Every page: screenshot and zero axe
violation.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from isoloir.accounts.models import Compte
from tests.e2e.conftest import Visite, focalise, tabuler_jusqua
from tests.e2e.gestion import code_du_secret, envoyer, remplir_la_connexion, saisir, suivre
from tests.factories import MOT_DE_PASSE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "secretaire.bv@education.gouv.fr"
PARTICIPATION = "/bureau/participation/"


@pytest.fixture
def membre(scrutin_ouvert) -> Compte:
    compte = Compte.objects.create_user(EMAIL, MOT_DE_PASSE, nom_affiche="Secrétaire du BV")
    compte.user_permissions.add(Permission.objects.get(codename="voir_participation"))
    return compte


def _sur_la_participation(visite: Visite, nom: str) -> None:
    expect(visite.page.locator("h1")).to_have_text("Participation")
    expect(visite.page.locator("caption")).to_have_text("Élections professionnelles 2026")
    visite.controler(nom)


def test_activation_et_verification_au_clavier(ouvrir_visite, membre) -> None:
    # --- Enrolment. ------------------------------------------------------------------------
    visite = ouvrir_visite()
    page = visite.page
    remplir_la_connexion(visite, PARTICIPATION, EMAIL, MOT_DE_PASSE)
    envoyer(visite, re.compile(r"/portail/second-facteur/activation/\?next="))
    assert visite.titre_principal() == "Activer la double authentification"
    expect(page.locator("svg[role=img]")).to_be_visible()
    visite.controler("second-facteur-activation")
    secret = page.locator("#cle-secrete").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    valides = {code_du_secret(secret, decalage=d) for d in range(-2, 3)}
    faux = next(c for c in (f"{n}" * 6 for n in range(10)) if c not in valides)
    saisir(visite, "#id_code", faux)
    envoyer(visite, re.compile(r"/portail/second-facteur/activation/\?next="))
    expect(page.locator("#id_code-erreur")).to_contain_text("Ce code est incorrect")
    assert focalise(page, "#id_code")  # the focus is on the field in error
    expect(page.locator("#id_code")).to_have_attribute(
        "aria-describedby", "id_code-aide id_code-erreur"
    )
    assert page.locator("#cle-secrete").inner_text().replace(" ", "") == secret
    visite.controler("second-facteur-activation-erreur")

    # The wait django-otp imposes after a failure (1 s) has passed.
    TOTPDevice.objects.filter(user=membre).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=1)
    )
    saisir(visite, "#id_code", code_du_secret(secret))
    envoyer(visite, re.compile(r"/portail/second-facteur/activation/\?next="))
    assert visite.titre_principal() == "Vos codes de secours"
    codes = [c.strip() for c in page.locator("#codes-de-secours code").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    visite.controler("second-facteur-codes-de-secours")

    # The print button is revealed by its script and works from the keyboard.
    page.evaluate("() => { window.impressions = 0; window.print = () => window.impressions++; }")
    tabuler_jusqua(page, "#imprimer-codes")
    page.keyboard.press("Enter")
    assert page.evaluate("window.impressions") == 1
    suivre(visite, f"a[href='{PARTICIPATION}']", re.compile(rf"{PARTICIPATION}$"))
    _sur_la_participation(visite, "second-facteur-participation")

    # --- Another browser: the password, then a recovery code. -----------------------------
    visite = ouvrir_visite()
    page = visite.page
    remplir_la_connexion(visite, PARTICIPATION, EMAIL, MOT_DE_PASSE)
    envoyer(visite, re.compile(r"/portail/second-facteur/\?next="))
    assert visite.titre_principal() == "Double authentification"
    visite.controler("second-facteur-verification")
    suivre(
        visite,
        "a[href^='/portail/second-facteur/secours/']",
        re.compile(r"/portail/second-facteur/secours/\?next="),
    )
    assert visite.titre_principal() == "Utiliser un code de secours"
    visite.controler("second-facteur-code-de-secours")
    saisir(visite, "#id_code", codes[0])
    envoyer(visite, re.compile(rf"{PARTICIPATION}$"))
    expect(page.get_by_role("status")).to_contain_text("Il vous en reste 9.")
    _sur_la_participation(visite, "second-facteur-participation-code-de-secours")

    visite.page.wait_for_load_state("networkidle")
    page.goto(visite.url("/portail/second-facteur/codes-de-secours/"))
    expect(page.locator("main")).to_contain_text("Il vous reste 9 codes de secours sur 10.")
    visite.controler("second-facteur-codes-restants")

    # --- A third browser: the application's code (the next step: the current one was
    # spent at enrolment, and a code is accepted only once). ---------------------------------
    visite = ouvrir_visite()
    remplir_la_connexion(visite, PARTICIPATION, EMAIL, MOT_DE_PASSE)
    envoyer(visite, re.compile(r"/portail/second-facteur/\?next="))
    saisir(visite, "#id_code", code_du_secret(secret, decalage=1))
    envoyer(visite, re.compile(rf"{PARTICIPATION}$"))
    _sur_la_participation(visite, "second-facteur-participation-application")
