"""Fixtures of the FranceConnect path: the test peer, a configured portal, a voter."""

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.votecode import reassort
from tests.franceconnect.pair import CLIENT_ID, CLIENT_SECRET, PairOIDC, parcourir

BASE = "http://127.0.0.1:8000"


def _pair() -> PairOIDC:
    return PairOIDC(
        redirect_uri=f"{BASE}{reverse('franceconnect:retour')}",
        post_logout_redirect_uri=f"{BASE}{reverse('franceconnect:deconnexion_retour')}",
    )


@pytest.fixture(scope="session")
def pair_fc() -> Iterator[PairOIDC]:
    pair = _pair()
    pair.demarrer()
    yield pair
    pair.arreter()


@pytest.fixture
def pair_jetable() -> Iterator[PairOIDC]:
    """A peer of the test's own, for the tests that restart it with other keys."""
    pair = _pair()
    pair.demarrer()
    yield pair
    pair.arreter()


def configurer(settings: Any, pair: PairOIDC) -> None:
    settings.ISOLOIR_BASE_URL = BASE
    settings.ISOLOIR_FC_ISSUER = pair.issuer
    settings.ISOLOIR_FC_CLIENT_ID = CLIENT_ID
    settings.ISOLOIR_FC_CLIENT_SECRET = CLIENT_SECRET
    pair.suivre_l_horloge()


@pytest.fixture
def fc(settings, pair_fc: PairOIDC) -> PairOIDC:
    configurer(settings, pair_fc)
    return pair_fc


def identite_de(electeur: Electeur, **surcharges: Any) -> dict[str, Any]:
    """What FranceConnect would say of this voter: capitals, the pivot identity."""
    revendications: dict[str, Any] = {
        "sub": f"usager-{secrets.token_hex(8)}",
        "given_name": electeur.prenoms,
        "given_name_array": electeur.prenoms.split(),
        "family_name": electeur.nom_naissance.upper(),
        "birthdate": electeur.date_naissance.isoformat(),
        "gender": "female" if electeur.civilite == "Mme" else "male",
        "birthplace": electeur.commune_naissance,
        "birthcountry": electeur.pays_naissance,
        "preferred_username": electeur.nom_usage.upper(),
    }
    revendications.update(surcharges)
    return revendications


@pytest.fixture
def electeur(creer_campagne, creer_scrutin, creer_electeur) -> Electeur:
    # On the roll of a campaign whose réassort is open (it opens 15 days before the vote).
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=3))
    return creer_electeur(
        creer_scrutin(campagne),
        active=True,
        civilite="Mme",
        nom_naissance="Le Guérec",
        nom_usage="Saint-Éloi",
        prenoms="Anne-Sophie Marie",
        date_naissance=date(1977, 5, 4),
        commune_naissance="29019",
    )


@dataclass
class Ouverture:
    """Stands for ``reassort.ouvrir_par_franceconnect``: records who it was called for."""

    electeurs: list[Electeur] = field(default_factory=list)

    def __call__(self, *, request: HttpRequest, electeur: Electeur) -> HttpResponse:
        self.electeurs.append(electeur)
        return HttpResponseRedirect("/portail/reassort/ouvert-par-le-test/")


@pytest.fixture
def ouverture(monkeypatch) -> Ouverture:
    remplacante = Ouverture()
    monkeypatch.setattr(reassort, "ouvrir_par_franceconnect", remplacante)
    return remplacante


@dataclass
class Parcours:
    """A voter's browser: the Django test client for the portal, httpx at the provider."""

    client: Client
    pair: PairOIDC
    electeur: Electeur

    def demarrer(self) -> str:
        reponse = self.client.get(reverse("franceconnect:connexion"))
        assert reponse.status_code == 302, reponse.content.decode()
        return reponse["Location"]

    def chez_franceconnect(self, url: str, **surcharges: Any) -> str:
        self.pair.preparer_usager(identite_de(self.electeur, **surcharges))
        return parcourir(url, jusqu_a=f"{BASE}{reverse('franceconnect:retour')}")

    def revenir(self, url_retour: str) -> Any:  # the test client's response
        morceaux = urlsplit(url_retour)
        return self.client.get(f"{morceaux.path}?{morceaux.query}")

    def complet(self, **surcharges: Any) -> Any:
        return self.revenir(self.chez_franceconnect(self.demarrer(), **surcharges))


@pytest.fixture
def parcours(client, fc, electeur) -> Parcours:
    client.force_login(electeur.compte)
    return Parcours(client, fc, electeur)
