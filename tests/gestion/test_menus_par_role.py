"""Each role meets its own wording and menu (issue 12, item 11): a voter the voter's
menu, a member of a bureau de vote a « Bureau de vote » entry, the administration and the
helpdesk their back-office; the second factor names the space it guards; the helpdesk's
home leads to its tasks, and the technical back-office answers it « Accès refusé »."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.counting.models import BureauDeVote, MembreDuBureau, Role
from isoloir.gestion.roles import RoleDeGestion
from tests.gestion.test_acces import compte_de_gestion
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db

MENU_ELECTEUR = ["Accueil", "Mes scrutins", "Je vote", "Assistance"]


def menu(page: str) -> list[str]:
    """The titles of the main menu's entries."""
    nav = re.search(r'<nav class="fr-nav" id="navigation-principale".*?</nav>', page, re.S)
    assert nav is not None, "pas de menu principal"
    return [t.strip() for t in re.findall(r'class="fr-nav__link"[^>]*>([^<]+)</a>', nav[0])]


def membre_du_bureau(creer_campagne) -> Compte:
    bureau = BureauDeVote.objects.create(campagne=creer_campagne(), nom="BV du CSA")
    compte = Compte.objects.create_user("presidente@education.gouv.fr", "x" * 20)
    MembreDuBureau.objects.create(bureau=bureau, compte=compte, role=Role.PRESIDENT)
    return compte


def test_l_electeur_a_le_menu_de_l_electeur(client: Client, creer_electeur) -> None:
    client.force_login(creer_electeur(active=True).compte)
    assert menu(client.get(reverse("portail:accueil")).content.decode()) == MENU_ELECTEUR


def test_le_membre_du_bureau_a_son_entree_et_pas_celles_de_l_electeur(
    client: Client, creer_campagne
) -> None:
    compte = membre_du_bureau(creer_campagne)
    client.force_login(compte)
    verification = client.get(
        reverse("accounts:second_facteur_enrolement") + "?next=" + reverse("counting:espace")
    ).content.decode()
    assert menu(verification) == ["Bureau de vote"]
    assert "Les pages du bureau de vote sont réservées à ses membres" in verification

    verifier_second_facteur(client, compte)
    page = client.get(reverse("counting:espace"), follow=True).content.decode()
    assert menu(page) == ["Bureau de vote"]
    assert 'aria-current="page">Bureau de vote' in page


def test_un_secretaire_qui_est_aussi_electeur_a_les_deux(
    client: Client, creer_campagne, creer_electeur
) -> None:
    electeur = creer_electeur(active=True)
    bureau = BureauDeVote.objects.create(campagne=creer_campagne(), nom="BV")
    MembreDuBureau.objects.create(bureau=bureau, compte=electeur.compte, role=Role.SECRETAIRE)
    client.force_login(electeur.compte)
    page = client.get(reverse("portail:accueil")).content.decode()
    assert menu(page) == ["Accueil", "Mes scrutins", "Je vote", "Bureau de vote", "Assistance"]


def test_l_assistance_voit_les_mots_de_la_gestion_pas_ceux_du_bureau(client: Client) -> None:
    compte = compte_de_gestion("aide@x.fr", RoleDeGestion.ASSISTANCE)
    client.force_login(compte)
    verifier_second_facteur(client, compte)
    client.logout()
    client.force_login(compte)  # logged in, the second factor not proved in this session
    reponse = client.get(reverse("gestion:accueil"))
    verification = client.get(reponse["Location"], follow=True).content.decode()
    assert "Double authentification" in verification
    assert "bureau de vote" not in verification
    assert "espace de gestion des élections est réservé à" in verification
    assert menu(verification) == ["Espace de gestion"]


def test_l_accueil_de_l_assistance_mene_a_ses_taches(client: Client) -> None:
    verifier_second_facteur(client, compte_de_gestion("aide@x.fr", RoleDeGestion.ASSISTANCE))
    page = client.get(reverse("gestion:accueil")).content.decode()
    taches = re.search(r"<h2>Vos tâches</h2>(.*?)<h2>Campagnes</h2>", page, re.S)
    assert taches is not None, "l'accueil de l'assistance ne montre pas ses tâches"
    assert reverse("gestion_assistance:demandes") in taches[1]
    assert reverse("gestion_assistance:electeurs") in taches[1]
    assert reverse("gestion_reclamations:liste") not in taches[1]
    assert reverse("admin:index") not in taches[1]


@pytest.mark.parametrize("adresse", ["admin:index", "admin:login"])
def test_le_back_office_technique_refuse_l_assistance(client: Client, adresse: str) -> None:
    verifier_second_facteur(client, compte_de_gestion("aide@x.fr", RoleDeGestion.ASSISTANCE))
    reponse = client.get(reverse(adresse))
    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "Accès refusé" in page
    assert 'name="password"' not in page
