"""The helpdesk form, for people who cannot log in: reloading it does not fill the CAPTCHA
table (issue 12, point 23)."""

import re

import pytest
from captcha.conf import settings as reglages_captcha
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

from isoloir.assistance.models import Categorie, DemandeAssistance
from tests.assistance.conftest import EMAIL_ELECTEUR

FORMULAIRE = reverse("assistance:demande")


def _champ(page, nom: str) -> str:
    trouve = re.search(rf'name="{nom}" value="([^"]+)"', page.content.decode())
    assert trouve, f"pas de champ {nom} dans la page"
    return trouve.group(1)


@pytest.mark.django_db
def test_le_formulaire_recharge_garde_le_meme_defi(client: Client) -> None:
    cles = {_champ(client.get(FORMULAIRE), "captcha_0") for _ in range(20)}
    assert len(cles) == 1
    assert CaptchaStore.objects.count() == 1


@pytest.mark.django_db
def test_une_mauvaise_reponse_donne_un_nouveau_defi(client: Client, electeur, monkeypatch) -> None:
    monkeypatch.setattr(reglages_captcha, "CAPTCHA_TEST_MODE", False)
    page = client.get(FORMULAIRE)
    ancienne = _champ(page, "captcha_0")
    reponse = client.post(
        FORMULAIRE,
        {
            "cle": _champ(page, "cle"),
            "nom": "Marc Campodifiori",
            "email": EMAIL_ELECTEUR,
            "categorie": Categorie.ACTIVATION.value,
            "message": "Je n'ai jamais reçu le lien d'activation de mon compte.",
            "captcha_0": ancienne,
            "captcha_1": "00000",
        },
    )
    assert "Les chiffres saisis ne correspondent pas au CAPTCHA" in reponse.content.decode()
    assert not DemandeAssistance.objects.exists()
    nouvelle = _champ(reponse, "captcha_0")
    assert nouvelle != ancienne
    assert _champ(client.get(FORMULAIRE), "captcha_0") == nouvelle
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [nouvelle]


@pytest.mark.django_db
def test_connecte_pas_de_captcha_ni_de_session_de_captcha(client: Client, electeur) -> None:
    client.force_login(electeur.compte)
    assert 'name="captcha_0"' not in client.get(FORMULAIRE).content.decode()
    assert not CaptchaStore.objects.exists()
