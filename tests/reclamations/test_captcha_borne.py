"""The claim form for people with no account: reloading it does not fill the CAPTCHA table
(issue 12, point 23)."""

import re

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import reverse

SANS_COMPTE = reverse("reclamations:deposer_sans_compte")


@pytest.mark.django_db
@pytest.mark.usefixtures("situation")
def test_le_formulaire_recharge_garde_le_meme_defi(client: Client) -> None:
    cles = set()
    for _ in range(10):
        page = client.get(SANS_COMPTE)
        assert page.status_code == 200
        cles.update(re.findall(r'name="captcha_0" value="([^"]+)"', page.content.decode()))
    assert len(cles) == 1
    assert CaptchaStore.objects.count() == 1
