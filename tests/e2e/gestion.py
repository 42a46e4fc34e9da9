"""Logging a back-office account in, in the browser: password, then TOTP code.

Shared by the browser tests of the back-office's screens. The account gets a TOTP
application whose secret the test knows, as the member's phone would; the code typed is
the one the phone shows.
"""

import re
import time
from base64 import b32decode, b32encode

from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from isoloir.accounts.models import Compte
from isoloir.accounts.second_facteur import appareil_de_demonstration
from isoloir.gestion.roles import RoleDeGestion
from tests.e2e.conftest import Visite, focalise, tabuler_jusqua

MOT_DE_PASSE_GESTION = "Phrase-De-Gestion-Solide-2026"
SECRET = b32encode(b"isoloir-gestion-e2e!").decode()


def compte_de_gestion(email: str, role: RoleDeGestion, *, nom: str = "") -> Compte:
    compte = Compte.objects.create_user(
        email, MOT_DE_PASSE_GESTION, is_staff=True, nom_affiche=nom or email.split("@")[0]
    )
    compte.groups.add(Group.objects.get(name=role.groupe))
    appareil_de_demonstration(compte, SECRET)
    return compte


def code_totp(compte: Compte) -> str:
    """The code the account's phone shows now, or at the next step if this step's code was
    already taken (a code is accepted once)."""
    appareil = TOTPDevice.objects.get(user=compte)
    decalage = max(0, appareil.last_t + 1 - int(time.time()) // 30)
    # totp() counts steps from t0: moving t0 back by n steps gives the code n steps later.
    return f"{totp(b32decode(SECRET), step=30, t0=-30 * decalage, digits=6):06d}"


def saisir(visite: Visite, selecteur: str, texte: str) -> None:
    """Reach the field with Tab, replace what it holds, type like a person."""
    if not focalise(visite.page, selecteur):
        tabuler_jusqua(visite.page, selecteur)
    visite.page.keyboard.press("ControlOrMeta+A")
    visite.page.keyboard.type(texte)


def saisir_date(visite: Visite, selecteur: str, valeur: str) -> None:
    """A native date-time picker: reached with Tab, set to ``valeur`` (YYYY-MM-DDTHH:MM).
    Typing in it follows the browser's locale segment by segment; the value is what the
    test is about, the picker is the browser's own (keyboard-operable)."""
    if not focalise(visite.page, selecteur):
        tabuler_jusqua(visite.page, selecteur)
    visite.page.fill(selecteur, valeur)


def envoyer(visite: Visite, url_attendue: re.Pattern[str] | str) -> None:
    visite.page.wait_for_load_state("networkidle")
    with visite.page.expect_navigation(url=url_attendue):
        visite.page.keyboard.press("Enter")


def se_connecter_a_la_gestion(visite: Visite, compte: Compte, chemin: str = "/gestion/") -> None:
    """From ``chemin``: the portal's login, then the second factor, then back there."""
    page = visite.page
    page.goto(visite.url(chemin))
    page.wait_for_url(re.compile(r"/portail/connexion/\?next="))
    saisir(visite, "#id_email", compte.email)
    saisir(visite, "#id_mot_de_passe", MOT_DE_PASSE_GESTION)
    envoyer(visite, re.compile(r"/portail/second-facteur/\?next="))
    saisir(visite, "#id_code", code_totp(compte))
    envoyer(visite, re.compile(re.escape(chemin) + "$"))
