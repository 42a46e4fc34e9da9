"""Roles of the back-office: each sees only its screens, always after its second factor,
and every form sent to the back-office is journaled."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.audit.services import verifier_chaine
from isoloir.gestion.roles import RoleDeGestion, roles_du_compte
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db


def compte_de_gestion(email: str, role: RoleDeGestion | None) -> Compte:
    compte = Compte.objects.create_user(email, "Phrase de gestion solide 2026", is_staff=True)
    if role is not None:
        compte.groups.add(Group.objects.get(name=role.groupe))
    return compte


def test_les_groupes_existent_et_l_administration_a_les_droits() -> None:
    administration = Group.objects.get(name="Administration des élections")
    assert administration.permissions.filter(codename="change_campagne").exists()
    assert administration.permissions.filter(codename="delete_totpdevice").exists()
    assert not Group.objects.get(name="Assistance").permissions.exists()


def test_les_roles_d_un_compte() -> None:
    assert roles_du_compte(compte_de_gestion("a@x.fr", RoleDeGestion.ASSISTANCE)) == {
        RoleDeGestion.ASSISTANCE
    }
    assert roles_du_compte(compte_de_gestion("b@x.fr", None)) == set()
    chef = Compte.objects.create_superuser("c@x.fr", "Phrase de gestion solide 2026")
    assert roles_du_compte(chef) == {RoleDeGestion.ADMINISTRATION}
    chef.is_active = False
    assert roles_du_compte(chef) == set()


def test_sans_second_facteur_on_va_le_prouver(client: Client) -> None:
    compte = compte_de_gestion("admin@x.fr", RoleDeGestion.ADMINISTRATION)
    url = reverse("gestion:accueil")
    assert client.get(url)["Location"].startswith(reverse("accounts:connexion"))
    client.force_login(compte)
    for adresse in (url, reverse("admin:index")):
        reponse = client.get(adresse)
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("accounts:second_facteur_enrolement"))


def test_l_assistance_ne_voit_ni_les_campagnes_ni_le_back_office_technique(
    client: Client, creer_campagne
) -> None:
    campagne = creer_campagne()
    verifier_second_facteur(client, compte_de_gestion("aide@x.fr", RoleDeGestion.ASSISTANCE))
    accueil = client.get(reverse("gestion:accueil"))
    assert accueil.status_code == 200
    page = accueil.content.decode()
    assert campagne.nom in page
    assert reverse("gestion:campagne", args=[campagne.slug]) not in page
    assert reverse("admin:index") not in page
    assert client.get(reverse("gestion:campagne", args=[campagne.slug])).status_code == 403
    # « Accès refusé », not a login form it could do nothing with (issue 12, item 11).
    assert client.get(reverse("admin:index")).status_code == 403


def test_un_electeur_ou_un_compte_sans_role_n_entre_pas(
    client: Client, creer_electeur, creer_campagne
) -> None:
    electeur = creer_electeur(active=True)
    verifier_second_facteur(client, electeur.compte)
    assert client.get(reverse("gestion:accueil")).status_code == 403
    verifier_second_facteur(client, compte_de_gestion("sans@x.fr", None))
    assert client.get(reverse("gestion:accueil")).status_code == 403


def test_l_administration_voit_le_calendrier_et_les_operations(
    client: Client, creer_scrutin, creer_electeur
) -> None:
    scrutin = creer_scrutin()
    creer_electeur(scrutin, active=True)
    creer_electeur(scrutin)
    verifier_second_facteur(client, compte_de_gestion("admin@x.fr", RoleDeGestion.ADMINISTRATION))
    page = client.get(reverse("gestion:campagne", args=[scrutin.campagne.slug]))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    contenu = page.content.decode()
    for attendu in (
        "Prochaine échéance",
        "Fin de la remise des notices",
        "Publication des listes électorales",
        "À fixer",
        "2 électeurs, dont 1 compte activé",
    ):
        assert attendu in contenu


def test_chaque_formulaire_du_back_office_est_journalise(client: Client, creer_campagne) -> None:
    campagne = creer_campagne()
    admin = compte_de_gestion("admin@x.fr", RoleDeGestion.ADMINISTRATION)
    verifier_second_facteur(client, admin)
    client.post(
        reverse("admin:elections_campagne_changelist"),
        {"action": "envoyer_activations", "_selected_action": [campagne.pk]},
    )
    evenement = Evenement.objects.get(type="gestion.action")
    assert evenement.compte_id == admin.pk
    assert evenement.details == {
        "chemin": reverse("admin:elections_campagne_changelist"),
        "methode": "POST",
        "statut": 302,
    }
    assert verifier_chaine() is None
    # A voter's portal form is not the back-office's.
    client.post(reverse("accounts:mot_de_passe_oublie"), {"email": "x@y.fr"})
    assert Evenement.objects.filter(type="gestion.action").count() == 1


def test_l_administration_ne_peut_pas_prendre_le_compte_d_un_autre(client: Client) -> None:
    """Neither an address, nor rights, nor a password, nor a second factor set by an
    administrator on someone else's account: each would let them pass for its owner."""
    membre = compte_de_gestion("president.bv@x.fr", None)
    admin = compte_de_gestion("admin@x.fr", RoleDeGestion.ADMINISTRATION)
    verifier_second_facteur(client, admin)
    fiche = client.get(reverse("admin:accounts_compte_change", args=[membre.pk]))
    contenu = fiche.content.decode()
    assert 'name="email"' not in contenu and 'name="is_superuser"' not in contenu
    assert 'name="user_permissions"' not in contenu and 'name="groups"' in contenu
    mot_de_passe = reverse("admin:auth_user_password_change", args=[membre.pk]).replace(
        "auth/user", "accounts/compte"
    )
    assert client.get(mot_de_passe).status_code == 403
    administration = Group.objects.get(name="Administration des élections")
    droits = set(
        administration.permissions.filter(
            content_type__app_label__in=["otp_totp", "otp_static"]
        ).values_list("codename", flat=True)
    )
    assert droits == {
        "view_totpdevice",
        "delete_totpdevice",
        "view_staticdevice",
        "delete_staticdevice",
        "view_statictoken",
        "delete_statictoken",
    }
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403


def test_l_identifiant_d_une_campagne_est_fixe_a_sa_creation(creer_campagne) -> None:
    from isoloir.organisation.forms import FormulaireCampagne

    campagne = creer_campagne()
    assert FormulaireCampagne(instance=campagne).fields["slug"].disabled
    assert not FormulaireCampagne().fields["slug"].disabled
