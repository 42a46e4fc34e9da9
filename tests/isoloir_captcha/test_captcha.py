"""The CAPTCHA (isoloir.captcha): challenge, French audio, field, endpoints and include."""

import io
import os
import re
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path

import captcha
import pytest
from captcha.conf import settings as reglages_captcha
from captcha.models import CaptchaStore
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse

import isoloir.captcha
from isoloir.captcha import views
from isoloir.captcha.forms import ChampCaptcha
from isoloir.captcha.reglages import LONGUEUR, REGLAGES_CAPTCHA, VOIX_FRANCAISE, defi_chiffres
from isoloir.core import limites

RACINE = Path(__file__).resolve().parents[2]


class Formulaire(forms.Form):
    captcha = ChampCaptcha()


@pytest.fixture
def reglages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our settings in django-simple-captcha's module, which read Django's at import."""
    for nom, valeur in REGLAGES_CAPTCHA.items():
        monkeypatch.setattr(reglages_captcha, nom, valeur)
    monkeypatch.setattr(reglages_captcha, "CAPTCHA_TEST_MODE", False)


def _defi() -> CaptchaStore:
    return CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())


def _envoi(store: CaptchaStore, reponse: str) -> dict[str, str]:
    return {"captcha_0": store.hashkey, "captcha_1": reponse}


# --- The challenge and the settings ---------------------------------------------------


def test_defi_de_cinq_chiffres_sans_zero_en_tete() -> None:
    tirages = [defi_chiffres() for _ in range(2000)]
    for affiche, attendu in tirages:
        assert affiche == attendu
        assert len(affiche) == LONGUEUR == 5
        assert affiche.isascii() and affiche.isdigit()
        assert affiche[0] != "0"
    # Every digit shows up, in the first place (but 0) and in the others.
    assert {d[0] for d, _ in tirages} == set("123456789")
    assert {c for d, _ in tirages for c in d[1:]} == set("0123456789")


def test_les_reglages_se_lisent_sans_django() -> None:
    # settings.py imports them: the library must not be imported (it would read its
    # settings before they exist), nor Django's settings touched.
    code = (
        "import sys\n"
        "import isoloir.captcha.reglages\n"
        "charges = [m for m in sys.modules if m.split('.')[0] in ('captcha', 'django')]\n"
        "assert not charges, charges\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=RACINE / "src")


def test_import_captcha_est_la_bibliotheque() -> None:
    # Our app is isoloir.captcha, label isoloir_captcha: ``captcha`` stays the library's.
    assert Path(captcha.__file__).parent != Path(isoloir.captcha.__file__).parent
    assert views.vues_de_la_bibliotheque.__name__ == "captcha.views"
    assert apps.get_app_config("isoloir_captcha").name == "isoloir.captcha"
    assert apps.get_app_config("captcha").name == "captcha"


def test_reglages_fusionnes_dans_les_settings() -> None:
    """settings.py merges REGLAGES_CAPTCHA before the library reads it (pitfall 4)."""
    for nom, valeur in REGLAGES_CAPTCHA.items():
        assert getattr(settings, nom) == valeur, nom
        assert getattr(reglages_captcha, nom) == valeur, nom


# --- The French voice -----------------------------------------------------------------


def test_la_voix_est_executable() -> None:
    assert os.access(VOIX_FRANCAISE, os.X_OK)


def test_la_voix_epele_les_chiffres_en_francais(tmp_path: Path) -> None:
    faux_espeak = tmp_path / "espeak-ng"
    faux_espeak.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    faux_espeak.chmod(0o755)
    sortie = subprocess.run(
        [VOIX_FRANCAISE, "-t", "8, 4, 8, 4, 0", "-o", str(tmp_path / "x.wav")],
        env={**os.environ, "ESPEAK_NG": str(faux_espeak)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert sortie[:7] == ["-v", "fr", "-s", "130", "-g", "8", "-w"]
    assert sortie[7] == str(tmp_path / "x.wav")
    assert sortie[8] == (
        "Recopiez les chiffres suivants : huit, quatre, huit, quatre, zéro. "
        "Je répète : huit, quatre, huit, quatre, zéro."
    )


@pytest.mark.parametrize("arguments", [[], ["-t", "12"], ["-o", "x.wav"], ["-x"], ["-t"]])
def test_la_voix_refuse_des_arguments_incomplets(arguments: list[str], tmp_path: Path) -> None:
    resultat = subprocess.run([VOIX_FRANCAISE, *arguments], cwd=tmp_path, capture_output=True)
    assert resultat.returncode == 2
    assert not (tmp_path / "x.wav").exists()


# --- The field ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("reglages")
class TestChamp:
    def test_la_bonne_reponse_passe_une_seule_fois(self) -> None:
        store = _defi()
        assert re.fullmatch(r"[1-9][0-9]{4}", store.response)
        assert Formulaire(_envoi(store, store.response)).is_valid()
        # Used: the same answer to the same key is refused.
        form = Formulaire(_envoi(store, store.response))
        assert not form.is_valid()

    def test_les_espaces_sont_toleres(self) -> None:
        store = _defi()
        espace = " ".join(store.response)
        assert Formulaire(_envoi(store, f" {espace} ")).is_valid()

    def test_une_mauvaise_reponse_est_refusee_et_brule_le_defi(self) -> None:
        store = _defi()
        faux = "1" if store.response != "11111" else "2"
        form = Formulaire(_envoi(store, faux * 5))
        assert not form.is_valid()
        assert form.errors["captcha"] == [
            "Les chiffres saisis ne correspondent pas au CAPTCHA, ou celui-ci a expiré. "
            "Recopiez les 5 chiffres de la nouvelle image."
        ]
        assert not CaptchaStore.objects.filter(hashkey=store.hashkey).exists()

    def test_une_cle_inconnue_est_refusee(self) -> None:
        assert not Formulaire({"captcha_0": "0" * 40, "captcha_1": "12345"}).is_valid()

    def test_un_defi_expire_est_refuse(self) -> None:
        store = _defi()
        CaptchaStore.objects.filter(pk=store.pk).update(
            expiration=store.expiration.replace(year=2000)
        )
        assert not Formulaire(_envoi(store, store.response)).is_valid()

    def test_reponse_manquante(self) -> None:
        form = Formulaire({"captcha_0": _defi().hashkey, "captcha_1": ""})
        assert form.errors["captcha"] == ["Saisissez les 5 chiffres du CAPTCHA."]

    def test_mode_test_accepte_passed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        store = _defi()
        assert not Formulaire(_envoi(store, "PASSED")).is_valid()
        # django.test's override_settings would not reach the library (pitfall 4).
        monkeypatch.setattr(reglages_captcha, "CAPTCHA_TEST_MODE", True)
        assert Formulaire(_envoi(_defi(), "PASSED")).is_valid()
        assert Formulaire(_envoi(_defi(), "passed")).is_valid()


# --- The library's endpoints, with our settings -----------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("reglages")
class TestAdresses:
    @pytest.mark.parametrize("nom", ["captcha-image", "captcha-image-2x"])
    def test_image_png(self, client, nom: str) -> None:
        reponse = client.get(reverse(nom, kwargs={"key": _defi().hashkey}))
        assert reponse.status_code == 200
        assert reponse["Content-Type"] == "image/png"
        assert reponse.content.startswith(b"\x89PNG\r\n\x1a\n")

    def test_audio_wav_en_francais(self, client) -> None:
        store = _defi()
        url = reverse("captcha-audio", kwargs={"key": store.hashkey})
        assert url == f"/captcha/audio/{store.hashkey}.wav"
        reponse = client.get(url)
        assert reponse.status_code == 200
        assert reponse["Content-Type"] == "audio/wav"
        contenu = b"".join(reponse.streaming_content)
        reponse.close()
        assert contenu[:4] == b"RIFF" and contenu[8:12] == b"WAVE"
        assert len(contenu) > 10_000
        with wave.open(io.BytesIO(contenu)) as son:
            duree = son.getnframes() / son.getframerate()
        # Five digits, twice, with an introduction, at 130 words a minute.
        assert 6 < duree < 30

    def test_audio_d_un_defi_inconnu(self, client) -> None:
        assert client.get(reverse("captcha-audio", kwargs={"key": "0" * 40})).status_code == 410

    def test_nouveau_defi(self, client) -> None:
        ancien = _defi().hashkey
        url = reverse("captcha-refresh")
        reponse = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert reponse.status_code == 200
        assert reponse["Content-Type"] == "application/json"
        defi = reponse.json()
        assert defi["key"] != ancien
        assert defi["image_url"] == f"/captcha/image/{defi['key']}/"
        assert defi["audio_url"] == f"/captcha/audio/{defi['key']}.wav"
        nouveau = CaptchaStore.objects.get(hashkey=defi["key"])
        assert re.fullmatch(r"[1-9][0-9]{4}", nouveau.response)
        # The view answers only the script's requests.
        assert client.get(url).status_code == 404


# --- The include ----------------------------------------------------------------------


def _rendre(form: Formulaire) -> str:
    return render_to_string(
        "isoloir_captcha/_captcha.html", {"champ": form["captcha"], "csp_nonce": "n0nce"}
    )


@pytest.fixture
def page(db, reglages) -> Iterator[tuple[str, CaptchaStore]]:
    avant = set(CaptchaStore.objects.values_list("hashkey", flat=True))
    html = _rendre(Formulaire())
    (store,) = CaptchaStore.objects.exclude(hashkey__in=avant)
    yield html, store


def test_include_image_et_texte(page: tuple[str, CaptchaStore]) -> None:
    html, store = page
    assert "Veuillez saisir le CAPTCHA ci-dessous :" in html
    assert (
        f'<img class="fr-mr-3w" src="/captcha/image/{store.hashkey}/" '
        f'srcset="/captcha/image/{store.hashkey}/ 1x, /captcha/image/{store.hashkey}@2/ 2x" '
        'alt="Image CAPTCHA : recopiez les 5 chiffres affichés"'
    ) in html
    # The challenge itself is only in the image and the audio.
    assert store.challenge not in html.replace(store.hashkey, "")


def test_include_audio(page: tuple[str, CaptchaStore]) -> None:
    html, store = page
    audio = re.search(r"<audio [^>]*>", html)
    assert audio is not None
    assert "controls" in audio.group()
    assert f'src="/captcha/audio/{store.hashkey}.wav"' in audio.group()
    assert 'aria-labelledby="id_captcha-audio"' in audio.group()
    assert '<p class="fr-mb-1w" id="id_captcha-audio">Version audio du CAPTCHA' in html
    assert "Écouter le CAPTCHA (fichier audio WAV)" in html


def test_include_nouvelle_image(page: tuple[str, CaptchaStore]) -> None:
    html, store = page
    assert 'data-url-rafraichir="/captcha/refresh/"' in html
    # Without JavaScript a link reloads the page; with it, a button replaces the link.
    assert f'href="?nouvelle-image={store.hashkey}#id_captcha-bloc"' in html
    bouton = re.search(r"<button [^>]*>Nouvelle image</button>", html)
    assert bouton is not None
    assert 'type="button"' in bouton.group()
    assert 'type="submit"' not in html
    assert '<p class="fr-sr-only" role="status" data-captcha-annonce></p>' in html
    assert (
        '<script src="/static/isoloir_captcha/js/captcha.js" nonce="n0nce" defer></script>' in html
    )
    assert finders.find("isoloir_captcha/js/captcha.js")


def test_include_cle_et_saisie(page: tuple[str, CaptchaStore]) -> None:
    html, store = page
    assert f'<input type="hidden" name="captcha_0" value="{store.hashkey}"' in html
    assert '<label class="fr-label" for="id_captcha_1">CAPTCHA *' in html
    saisie = re.search(r'<input class="fr-input" [^>]*name="captcha_1"[^>]*>', html)
    assert saisie is not None
    for attribut in (
        'id="id_captcha_1"',
        'autocomplete="off"',
        'inputmode="numeric"',
        "required",
        'aria-describedby="id_captcha-aide"',
    ):
        assert attribut in saisie.group()
    assert "value=" not in saisie.group()
    assert "aria-invalid" not in saisie.group()


@pytest.mark.django_db
@pytest.mark.usefixtures("reglages")
def test_include_erreur_liee_au_champ() -> None:
    store = _defi()
    form = Formulaire(_envoi(store, "00000"))
    assert not form.is_valid()
    html = _rendre(form)
    assert '<div class="fr-input-group fr-input-group--error">' in html
    saisie = re.search(r'<input class="fr-input fr-input--error" [^>]*>', html)
    assert saisie is not None
    assert 'aria-describedby="id_captcha-aide id_captcha-erreur"' in saisie.group()
    assert 'aria-invalid="true"' in saisie.group()
    assert "00000" not in html
    assert '<div class="fr-messages-group" id="id_captcha-erreur">' in html
    assert "Les chiffres saisis ne correspondent pas au CAPTCHA" in html
    # A new challenge, not the burnt one.
    assert store.hashkey not in html


@pytest.mark.django_db
def test_audio_et_nouvelle_image_limites_par_adresse(client, monkeypatch) -> None:
    monkeypatch.setattr(views, "PAR_IP", limites.Limite("captcha-ip", 2, 600))
    entetes = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    assert client.get("/captcha/refresh/", **entetes).status_code == 200
    assert client.get("/captcha/refresh/", **entetes).status_code == 200
    refus = client.get("/captcha/refresh/", **entetes)
    assert refus.status_code == 429
    assert "Trop de demandes de CAPTCHA" in refus.content.decode()
