"""Keyboard helpers for the browser tests, and logging a back-office account in.

Shared by the browser tests of the back-office's screens and of the portal's forms, so
that typing, sending a form, following a link and the login with its second factor are
written once and behave the same in every test. The back-office account gets a TOTP
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
from tests.attente import PLAFOND_NAVIGATEUR_MS
from tests.e2e.conftest import Visite, focalise, tabuler_jusqua

MOT_DE_PASSE_GESTION = "Phrase-De-Gestion-Solide-2026"
SECRET = b32encode(b"isoloir-gestion-e2e!").decode()


def compte_de_gestion(email: str, role: RoleDeGestion, *, nom: str = "") -> Compte:
    """A back-office account in ``role``'s group, with a confirmed TOTP application set to
    :data:`SECRET`, so that :func:`code_totp` can type what its phone would show."""
    compte = Compte.objects.create_user(
        email, MOT_DE_PASSE_GESTION, is_staff=True, nom_affiche=nom or email.split("@")[0]
    )
    compte.groups.add(Group.objects.get(name=role.groupe))
    appareil_de_demonstration(compte, SECRET)
    return compte


def code_du_secret(secret: str, *, decalage: int = 0) -> str:
    """The 6-digit code an authenticator set to ``secret`` (base32) shows now, or
    ``decalage`` 30-second steps later: computed with django-otp's own TOTP, not the
    application's code under test."""
    cle = b32decode(secret + "=" * (-len(secret) % 8))
    # totp() counts steps from t0: moving t0 back by n steps gives the code n steps later.
    return f"{totp(cle, step=30, t0=-30 * decalage, digits=6):06d}"


def code_totp(compte: Compte) -> str:
    """The code the account's phone shows now, or at the next step if this step's code was
    already taken (a code is accepted once)."""
    appareil = TOTPDevice.objects.get(user=compte)
    decalage = max(0, appareil.last_t + 1 - int(time.time()) // 30)
    return code_du_secret(SECRET, decalage=decalage)


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
    """Press Enter where the focus is and wait for the page at ``url_attendue``.

    The page goes quiet first: a navigation started while an icon or a script is still
    loading cuts that request, which :class:`Visite` would report as a failed one."""
    visite.page.wait_for_load_state("networkidle", timeout=PLAFOND_NAVIGATEUR_MS)
    with visite.page.expect_navigation(url=url_attendue):
        visite.page.keyboard.press("Enter")


def suivre(visite: Visite, selecteur: str, url_attendue: re.Pattern[str] | str) -> None:
    """Tab to a link or a button, as a keyboard user would, and press Enter on it.

    Back-office pages carry a long header and menu before their content, hence more Tab
    presses allowed than :func:`tabuler_jusqua`'s default."""
    tabuler_jusqua(visite.page, selecteur, maximum=120)
    envoyer(visite, url_attendue)


def remplir_la_connexion(visite: Visite, chemin: str, email: str, mot_de_passe: str) -> None:
    """Ask for ``chemin``, be sent to the portal's login, type the email and password.

    The form is not sent: where it leads (the second factor, its enrolment, the page
    itself) is what the caller checks."""
    visite.page.goto(visite.url(chemin))
    visite.page.wait_for_url(re.compile(r"/portail/connexion/\?next="))
    saisir(visite, "#id_email", email)
    saisir(visite, "#id_mot_de_passe", mot_de_passe)


def se_connecter_a_la_gestion(visite: Visite, compte: Compte, chemin: str = "/gestion/") -> None:
    """From ``chemin``: the portal's login, then the second factor, then back there."""
    remplir_la_connexion(visite, chemin, compte.email, MOT_DE_PASSE_GESTION)
    envoyer(visite, re.compile(r"/portail/second-facteur/\?next="))
    saisir(visite, "#id_code", code_totp(compte))
    envoyer(visite, re.compile(re.escape(chemin) + "$"))
