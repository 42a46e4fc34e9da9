"""The back-office: French admin, activation mails sent from a campaign or a selection."""

import pytest
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.notify.models import Courriel
from tests.second_facteur import verifier_second_facteur


@pytest.fixture
def admin_client(client):
    compte = Compte.objects.create_superuser("admin@isoloir.localhost", "Phrase admin solide 2026")
    verifier_second_facteur(client, compte)
    return client


@pytest.mark.django_db
def test_le_back_office_est_en_francais(admin_client) -> None:
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Administration des élections" in page
    for modele in ("Campagnes", "Scrutins", "Listes de candidats", "Électeurs", "Courriels"):
        assert modele in page


@pytest.mark.django_db
def test_envoi_des_activations_d_une_campagne(
    admin_client, creer_scrutin, creer_electeur, django_capture_on_commit_callbacks
) -> None:
    scrutin = creer_scrutin()
    a_activer = [creer_electeur(scrutin) for _ in range(3)]
    creer_electeur(scrutin, active=True)
    creer_electeur(creer_scrutin())  # another campaign's voter
    with django_capture_on_commit_callbacks():
        reponse = admin_client.post(
            reverse("admin:elections_campagne_changelist"),
            {"action": "envoyer_activations", "_selected_action": [scrutin.campagne_id]},
            follow=True,
        )
    assert (
        "3 courriel(s) d&#x27;activation programmé(s) ; 1 compte(s) déjà activé(s), ignoré(s)."
        in reponse.content.decode()
    )
    assert sorted(Courriel.objects.values_list("compte_id", flat=True)) == sorted(
        e.compte_id for e in a_activer
    )


@pytest.mark.django_db
def test_envoi_aux_electeurs_selectionnes(admin_client, creer_electeur) -> None:
    nouveau, deja = creer_electeur(), creer_electeur(active=True)
    reponse = admin_client.post(
        reverse("admin:accounts_electeur_changelist"),
        {"action": "envoyer_activation", "_selected_action": [nouveau.pk, deja.pk]},
        follow=True,
    )
    contenu = reponse.content.decode()
    assert "1 courriel(s) d&#x27;activation programmé(s) ; 1 compte(s) déjà activé(s)" in contenu
    assert Courriel.objects.get().compte_id == nouveau.compte_id


@pytest.mark.django_db
def test_la_fiche_electeur_ne_montre_aucun_secret(admin_client, creer_electeur) -> None:
    electeur = creer_electeur(active=True)
    page = admin_client.get(reverse("admin:accounts_electeur_change", args=[electeur.pk]))
    contenu = page.content.decode()
    assert electeur.numen_empreinte not in contenu
    assert electeur.reponse_defi_empreinte not in contenu
    assert "argon2" not in contenu


@pytest.mark.django_db
def test_le_back_office_est_reserve_au_personnel(client, creer_electeur) -> None:
    electeur = creer_electeur(active=True)
    client.force_login(electeur.compte)
    # A voter is told « Accès refusé », not shown the admin's login form (issue 12, item 11).
    reponse = client.get(reverse("admin:index"))
    assert reponse.status_code == 403
    assert "Accès refusé" in reponse.content.decode()


@pytest.mark.django_db
def test_personne_ne_fixe_le_mot_de_passe_d_un_electeur(admin_client, creer_electeur) -> None:
    electeur = creer_electeur(active=True)
    url = reverse("admin:auth_user_password_change", args=[electeur.compte_id])
    assert admin_client.get(url).status_code == 403
    reponse = admin_client.post(
        url, {"password1": "Nouvelle phrase 2026 !", "password2": "Nouvelle phrase 2026 !"}
    )
    assert reponse.status_code == 403


@pytest.mark.django_db
def test_un_compte_cree_au_back_office_a_une_adresse_en_minuscules(admin_client) -> None:
    reponse = admin_client.post(
        reverse("admin:accounts_compte_add"),
        {
            "email": "Gestionnaire@Ac-Lyon.fr",
            "usable_password": "true",
            "password1": "Phrase de gestion 2026 !",
            "password2": "Phrase de gestion 2026 !",
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    assert Compte.objects.filter(email="gestionnaire@ac-lyon.fr").exists()
