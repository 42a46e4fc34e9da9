"""Signatures: the signed userinfo, key rotation, a key that no longer verifies."""

import httpx
import pytest
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.franceconnect import client as rp
from isoloir.franceconnect import services
from tests.franceconnect.conftest import Parcours, configurer, identite_de
from tests.franceconnect.pair import parcourir

pytestmark = pytest.mark.django_db


@pytest.fixture
def telechargements(monkeypatch) -> list[str]:
    """The addresses the portal fetches from FranceConnect (discovery, JWKS)."""
    adresses: list[str] = []
    original = rp._get_json

    def espion(url: str):
        adresses.append(url)
        return original(url)

    monkeypatch.setattr(rp, "_get_json", espion)
    return adresses


@pytest.fixture
def parcours_jetable(client, settings, pair_jetable, electeur) -> Parcours:
    configurer(settings, pair_jetable)
    client.force_login(electeur.compte)
    return Parcours(client, pair_jetable, electeur)


def _jwks(adresses: list[str]) -> int:
    return sum(adresse.endswith("/jwks") for adresse in adresses)


def test_userinfo_est_un_jwt_signe(fc, settings, electeur) -> None:
    configurer(settings, fc)
    config = rp.configuration()
    assert config is not None
    # Drive the provider by hand to look at the raw answers.
    fc.preparer_usager(identite_de(electeur))
    url = rp.url_autorisation(
        config=config,
        state="s" * 43,
        nonce="n" * 43,
        redirect_uri=f"{settings.ISOLOIR_BASE_URL}{reverse('franceconnect:retour')}",
    )
    retour = parcourir(url, jusqu_a=settings.ISOLOIR_BASE_URL)
    code = httpx.URL(retour).params["code"]
    jetons = rp.echanger_code(
        config=config,
        code=code,
        redirect_uri=f"{settings.ISOLOIR_BASE_URL}{reverse('franceconnect:retour')}",
        nonce="n" * 43,
    )
    brut = httpx.get(
        rp.decouverte(config)["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {jetons.access_token}"},
    )
    assert brut.headers["content-type"].startswith("application/jwt")
    assert brut.text.count(".") == 2
    revendications = rp.lire_userinfo(config=config, jetons=jetons)
    assert revendications["sub"] == jetons.sub
    assert revendications["iss"] == fc.issuer
    assert revendications["aud"] == config.client_id
    assert revendications["family_name"] == "LE GUÉREC"
    assert revendications["preferred_username"] == "SAINT-ÉLOI"


def test_rotation_des_cles(parcours_jetable, ouverture, telechargements) -> None:
    assert parcours_jetable.complet().status_code == 302
    assert _jwks(telechargements) == 1
    # FranceConnect rotates its keys: tokens now come with a kid the cached JWKS lacks.
    parcours_jetable.pair.redemarrer(kid="cle-2")
    telechargements.clear()
    assert parcours_jetable.complet().status_code == 302
    assert _jwks(telechargements) == 1  # fetched again once, not on every token
    assert len(ouverture.electeurs) == 2
    telechargements.clear()
    assert parcours_jetable.complet().status_code == 302
    assert _jwks(telechargements) == 0


def test_signature_que_la_cle_connue_ne_verifie_pas(
    parcours_jetable, ouverture, telechargements
) -> None:
    assert parcours_jetable.complet().status_code == 302
    # Same kid, other key: the token is not FranceConnect's as the portal knows it.
    parcours_jetable.pair.redemarrer(kid="cle-1")
    reponse = parcours_jetable.complet()
    assert reponse.status_code == 502
    (erreur,) = Evenement.objects.filter(type="franceconnect.erreur")
    assert erreur.details["raison"] == "id_token_signature_invalide"
    assert len(ouverture.electeurs) == 1
    assert _jwks(telechargements) == 1


def test_decouverte_en_cache(parcours, ouverture, telechargements) -> None:
    parcours.complet()
    parcours.complet()
    decouvertes = [a for a in telechargements if a.endswith("/openid-configuration")]
    assert len(decouvertes) == 1
    assert services.ID_TOKEN in parcours.client.session
