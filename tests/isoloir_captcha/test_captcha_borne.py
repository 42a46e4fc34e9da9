"""The CAPTCHA's rows are bounded (issue 12, point 23): one challenge per session until it
is answered, a cap per address as a last line, a purge of the expired ones, and a limit on
the images."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from captcha.conf import settings as reglages_captcha
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isoloir.captcha import services, views
from isoloir.core import limites

SAISIE = reverse("votecode:saisie_code")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def _cle(page) -> str:
    trouve = re.search(r'name="captcha_0" value="([^"]+)"', page.content.decode())
    assert trouve, "pas de clé de CAPTCHA dans la page"
    return trouve.group(1)


@pytest.fixture
def sans_mode_test(monkeypatch: pytest.MonkeyPatch) -> None:
    # The library reads its settings once, at import: override_settings would not reach it.
    monkeypatch.setattr(reglages_captcha, "CAPTCHA_TEST_MODE", False)


@pytest.fixture
def meme_fenetre(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limits count in fixed windows: a test must not straddle two."""
    milieu = timezone.now().replace(minute=5, second=0, microsecond=0)
    monkeypatch.setattr(limites, "_maintenant", lambda: milieu)


# --- One challenge per session ---------------------------------------------------------


@pytest.mark.django_db
def test_la_page_rechargee_garde_le_meme_defi(connecte: Client) -> None:
    cles = {_cle(connecte.get(SAISIE)) for _ in range(20)}
    assert len(cles) == 1
    assert CaptchaStore.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("sans_mode_test")
def test_une_mauvaise_reponse_donne_un_nouveau_defi(connecte: Client, code_actuel: str) -> None:
    ancienne = _cle(connecte.get(SAISIE))
    reponse = connecte.post(
        SAISIE, {"code_de_vote": code_actuel, "captcha_0": ancienne, "captcha_1": "00000"}
    )
    assert "Le code de vote ou le CAPTCHA est incorrect." in reponse.content.decode()
    nouvelle = _cle(reponse)
    assert nouvelle != ancienne
    assert not CaptchaStore.objects.filter(hashkey=ancienne).exists()
    # The new one is the session's from now on: a reload shows it, and creates nothing.
    assert _cle(connecte.get(SAISIE)) == nouvelle
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [nouvelle]


@pytest.mark.django_db
def test_une_bonne_reponse_ne_laisse_pas_reprendre_le_defi(
    connecte: Client, code_actuel: str
) -> None:
    """Right CAPTCHA, wrong code: the challenge is spent all the same."""
    ancienne = _cle(connecte.get(SAISIE))
    reponse = connecte.post(
        SAISIE, {"code_de_vote": "X" * 16, "captcha_0": ancienne, "captcha_1": "PASSED"}
    )
    assert _cle(reponse) != ancienne
    assert not CaptchaStore.objects.filter(hashkey=ancienne).exists()


@pytest.mark.django_db
def test_un_defi_bientot_expire_n_est_pas_repris(connecte: Client) -> None:
    ancienne = _cle(connecte.get(SAISIE))
    # Too little time left to find the notice and type the code: a fresh one.
    CaptchaStore.objects.filter(hashkey=ancienne).update(
        expiration=timezone.now() + timedelta(minutes=2)
    )
    assert _cle(connecte.get(SAISIE)) != ancienne


@pytest.mark.django_db
def test_nouvelle_image_sans_javascript_remplace_le_defi(connecte: Client) -> None:
    ancienne = _cle(connecte.get(SAISIE))
    nouvelle = _cle(connecte.get(SAISIE, {"nouvelle-image": ancienne}))
    assert nouvelle != ancienne
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [nouvelle]
    # The same link reloaded (or an old one) asks for nothing new.
    assert _cle(connecte.get(SAISIE, {"nouvelle-image": ancienne})) == nouvelle


@pytest.mark.django_db
def test_nouvelle_image_avec_javascript_remplace_le_defi_de_la_session(connecte: Client) -> None:
    ancienne = _cle(connecte.get(SAISIE))
    reponse = connecte.get(reverse("captcha-refresh"), **XHR)
    assert reponse.status_code == 200
    defi = reponse.json()
    assert defi["key"] != ancienne
    assert defi["image_url"] == f"/captcha/image/{defi['key']}/"
    assert defi["audio_url"] == f"/captcha/audio/{defi['key']}.wav"
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [defi["key"]]
    # A reload shows the image asked for, not the one the person could not read.
    assert _cle(connecte.get(SAISIE)) == defi["key"]


# --- The cap per address ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("meme_fenetre")
def test_creation_plafonnee_par_adresse(electeur, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "CREATION_PAR_IP", limites.Limite("captcha-creation-ip", 2, 600))
    # A client that keeps no cookie gets a new session at every load.
    for _ in range(2):
        sans_cookie = Client()
        sans_cookie.force_login(electeur.compte)
        assert sans_cookie.get(SAISIE).status_code == 200
    sans_cookie = Client()
    sans_cookie.force_login(electeur.compte)
    refus = sans_cookie.get(SAISIE)
    assert refus.status_code == 429
    contenu = refus.content.decode()
    assert "Trop de CAPTCHA ont été demandés depuis votre réseau" in contenu
    assert 'name="captcha_0"' not in contenu
    assert CaptchaStore.objects.count() == 2
    # Another address is not concerned.
    ailleurs = Client(REMOTE_ADDR="198.51.100.7")
    ailleurs.force_login(electeur.compte)
    assert ailleurs.get(SAISIE).status_code == 200


# --- The image endpoints ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("meme_fenetre")
@pytest.mark.parametrize("nom", ["captcha-image", "captcha-image-2x"])
def test_images_limitees_par_adresse(client: Client, monkeypatch, nom: str) -> None:
    monkeypatch.setattr(views, "IMAGES_PAR_IP", limites.Limite("captcha-image-ip", 3, 600))
    cle = CaptchaStore.generate_key()
    url = reverse(nom, kwargs={"key": cle})
    for _ in range(3):
        assert client.get(url).status_code == 200
    refus = client.get(url)
    assert refus.status_code == 429
    assert refus["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        "Trop de demandes de CAPTCHA : réessayez dans quelques minutes." in refus.content.decode()
    )
    assert Client(REMOTE_ADDR="198.51.100.7").get(url).status_code == 200


@pytest.mark.django_db
def test_la_limite_des_images_repart_a_chaque_fenetre(client: Client, monkeypatch) -> None:
    """Behind a ministry's NAT the address is never quiet for ten minutes: a window pushed
    back by every request would never close, so the count starts afresh in each one."""
    monkeypatch.setattr(views, "IMAGES_PAR_IP", limites.Limite("captcha-image-ip", 3, 600))
    url = reverse("captcha-image", kwargs={"key": CaptchaStore.generate_key()})
    depart = timezone.now().replace(minute=0, second=0, microsecond=0)
    monkeypatch.setattr(limites, "_maintenant", lambda: depart + timedelta(seconds=1))
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    monkeypatch.setattr(limites, "_maintenant", lambda: depart + timedelta(seconds=601))
    assert client.get(url).status_code == 200


# --- The purge -------------------------------------------------------------------------


@pytest.mark.django_db
def test_la_purge_retire_les_defis_expires_seulement() -> None:
    maintenant = timezone.now()
    expires = [CaptchaStore.generate_key() for _ in range(3)]
    vivants = [CaptchaStore.generate_key() for _ in range(2)]
    CaptchaStore.objects.filter(hashkey__in=expires).update(
        expiration=maintenant - timedelta(seconds=1)
    )
    sortie = StringIO()
    call_command("purger_captcha", stdout=sortie)
    assert set(CaptchaStore.objects.values_list("hashkey", flat=True)) == set(vivants)
    assert "CAPTCHA expirés supprimés : 3" in sortie.getvalue()


@pytest.mark.django_db
def test_la_purge_retire_aussi_les_sessions_expirees(settings) -> None:
    """Anonymous visitors now hold a session (their challenge's key): with sessions in the
    database (the embedded default), the sweep removes the expired ones too."""
    from importlib import import_module

    from django.contrib.sessions.models import Session

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    magasin = import_module(settings.SESSION_ENGINE).SessionStore
    vieille, neuve = magasin(), magasin()
    for session in (vieille, neuve):
        session["captcha_defi"] = "cle"
        session.save()
    Session.objects.filter(session_key=vieille.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    call_command("purger_captcha", stdout=StringIO())
    assert list(Session.objects.values_list("session_key", flat=True)) == [neuve.session_key]
