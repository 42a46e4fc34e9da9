"""The portal's bloc-marque, changed by the administration in /gestion/ (issue 12,
point 17): a DSFR form, journaled, refused to the other roles."""

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.core.presentation import marque_du_portail
from isoloir.gestion.roles import RoleDeGestion
from tests.gestion.test_acces import compte_de_gestion
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _marque_par_defaut(settings: Settings) -> None:
    settings.ISOLOIR_MARQUE = "République|française"


@pytest.fixture
def administration(client: Client) -> Client:
    verifier_second_facteur(
        client, Compte.objects.create_superuser("admin@x.fr", "Phrase de gestion solide 2026")
    )
    return client


def test_l_administration_change_la_marque_du_portail(administration: Client) -> None:
    adresse = reverse("gestion:presentation")
    formulaire = administration.get(adresse).content.decode()
    assert "République\nfrançaise</textarea>" in formulaire  # what the header shows today
    assert 'aria-current="page">Présentation du portail</a>' in formulaire

    reponse = administration.post(
        adresse, {"marque": "  Ministère\r\nde l'Éducation\r\n\r\nnationale  "}
    )

    assert reponse.status_code == 302 and reponse["Location"] == adresse
    assert marque_du_portail() == ("Ministère", "de l'Éducation", "nationale")
    page = administration.get(adresse).content.decode()
    assert "La marque du portail est enregistrée." in page
    assert "Ministère<br>de l&#x27;Éducation<br>nationale" in page  # its own header already
    evenement = Evenement.objects.get(type="portail.marque_modifiee")
    assert evenement.details["avant"] == ["République", "française"]
    assert evenement.details["apres"] == ["Ministère", "de l'Éducation", "nationale"]


def test_la_marque_videe_revient_a_celle_de_la_configuration(administration: Client) -> None:
    adresse = reverse("gestion:presentation")
    administration.post(adresse, {"marque": "Ministère\nde l'Éducation\nnationale"})
    administration.post(adresse, {"marque": ""})
    assert marque_du_portail() == ("République", "française")


@pytest.mark.parametrize(
    ("saisie", "message"),
    [
        ("\n".join(["Ligne"] * 6), "Au plus 5 lignes"),
        ("Ministère\n" + "x" * 51, "Au plus 50 caractères par ligne"),
        ("Ministère<br>de l'Éducation", "sans balise"),
    ],
)
def test_une_marque_illisible_est_refusee_en_francais(
    administration: Client, saisie: str, message: str
) -> None:
    reponse = administration.post(reverse("gestion:presentation"), {"marque": saisie})
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert marque_du_portail() == ("République", "française")
    assert not Evenement.objects.filter(type="portail.marque_modifiee").exists()


def test_seule_l_administration_change_la_marque(client: Client) -> None:
    verifier_second_facteur(client, compte_de_gestion("aide@x.fr", RoleDeGestion.ASSISTANCE))
    adresse = reverse("gestion:presentation")
    assert client.get(adresse).status_code == 403
    assert client.post(adresse, {"marque": "Piraté"}).status_code == 403
    assert marque_du_portail() == ("République", "française")
    assert "Présentation du portail" not in client.get(reverse("gestion:accueil")).content.decode()
