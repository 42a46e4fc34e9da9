"""Setting up a campaign in the back-office: its form and its scrutins from CSV."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.accounts.models import Compte
from isoloir.audit.models import Evenement
from isoloir.elections.models import Campagne, Scrutin
from isoloir.organisation.scrutins import importer_scrutins
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db

ENTETE = "code;intitule;type;perimetre;sieges_titulaires;sieges_suppleants;ordre\n"
FICHIER = (
    ENTETE
    + "csa-men;CSA ministériel;CSA;Ministère;15;15;1\n"
    + "cap-certifies;CAPN des professeurs certifiés;cap;Ministère;10;10;2\n"
)


@pytest.fixture
def administration(client: Client) -> Client:
    verifier_second_facteur(
        client, Compte.objects.create_superuser("admin@x.fr", "Phrase de gestion solide 2026")
    )
    return client


def champs(**modifies: str) -> dict[str, str]:
    valeurs = {
        "nom": "Élections professionnelles 2026",
        "slug": "ep-2026",
        "ouverture": "2026-12-01T08:00",
        "cloture": "2026-12-08T17:00",
        "publication_des_listes": "2026-10-20T09:00",
        "reclamations_cloture": "",
        "consultation_cloture": "",
        "remise_des_notices": "2026-11-15T18:00",
        "reassort_ouverture": "",
        "reassort_cloture": "",
        "edito": "Madame, Monsieur,",
    }
    return valeurs | modifies


def test_creer_une_campagne(administration: Client) -> None:
    reponse = administration.post(reverse("gestion:nouvelle_campagne"), champs())
    assert reponse["Location"] == reverse("gestion:campagne", args=["ep-2026"])
    campagne = Campagne.objects.get()
    assert campagne.ouverture.isoformat() == "2026-12-01T07:00:00+00:00"  # Paris → UTC
    assert Evenement.objects.filter(type="campagne.creee").count() == 1


@pytest.mark.parametrize(
    ("modifies", "message"),
    [
        ({"cloture": "2026-12-01T20:00"}, "entre 24 heures et 8 jours"),
        ({"remise_des_notices": "2026-11-20T08:00"}, "au moins 15 jours avant"),
        ({"ouverture": "le 1er décembre"}, "Saisissez une date et une heure valides"),
        ({"ouverture": ""}, "Indiquez cette date."),
    ],
)
def test_une_campagne_contraire_aux_textes_est_refusee(
    administration: Client, modifies: dict[str, str], message: str
) -> None:
    reponse = administration.post(reverse("gestion:nouvelle_campagne"), champs(**modifies))
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Campagne.objects.exists()


def test_toutes_les_regles_du_calendrier_a_la_fois(administration: Client) -> None:
    """Issue 12, item 13: every rule the dates break is said on the first submission."""
    reponse = administration.post(
        reverse("gestion:nouvelle_campagne"),
        champs(
            cloture="2026-12-01T20:00",
            remise_des_notices="2026-11-20T08:00",
            reassort_ouverture="2026-11-20T08:00",
            reassort_cloture="2026-11-19T08:00",
        ),
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    for message in (
        "entre 24 heures et 8 jours",
        "au moins 15 jours avant",
        "La clôture du réassort doit suivre son ouverture.",
    ):
        assert message in page, message
    assert not Campagne.objects.exists()


def test_modifier_les_dates(administration: Client) -> None:
    administration.post(reverse("gestion:nouvelle_campagne"), champs())
    url = reverse("gestion:modifier_campagne", args=["ep-2026"])
    assert 'value="2026-12-01T08:00"' in administration.get(url).content.decode()
    administration.post(url, champs(reclamations_cloture="2026-10-31T18:00"))
    assert Campagne.objects.get().reclamations_cloture.isoformat() == "2026-10-31T17:00:00+00:00"
    evenement = Evenement.objects.get(type="campagne.modifiee")
    assert evenement.details["champs"] == ["reclamations_cloture"]


def test_importer_puis_reimporter_les_scrutins(administration: Client, creer_campagne) -> None:
    campagne = creer_campagne()
    url = reverse("gestion:scrutins", args=[campagne.slug])
    fichier = io.BytesIO(FICHIER.encode("cp1252"))
    fichier.name = "scrutins.csv"
    reponse = administration.post(url, {"fichier": fichier}, follow=True)
    assert "2 créé(s), 0 modifié(s), 0 inchangé(s)" in reponse.content.decode()
    assert Scrutin.objects.get(code="cap-certifies").type == "CAP"
    corrige = FICHIER.replace("CSA;Ministère;15;15", "CSA;Ministère;16;16")
    rapport = importer_scrutins(campagne=campagne, fichier=io.BytesIO(corrige.encode()))
    assert (rapport.crees, rapport.modifies, rapport.inchanges) == (0, 1, 1)
    assert Scrutin.objects.get(code="csa-men").sieges_titulaires == 16


@pytest.mark.parametrize(
    ("contenu", "erreur"),
    [
        (b"code,intitule\nx,y\n", "il manque : type, perimetre"),
        (
            (ENTETE + "csa;CSA;CSA;Min;15;15;1\ncsa;Doublon;CSA;Min;1;1;2\n").encode(),
            "Ligne 3 : le code « csa » figure déjà plus haut",
        ),
        ((ENTETE + "csa;CSA;XYZ;Min;15;15;1\n").encode(), "Ligne 2 : type :"),
        ((ENTETE + "csa;CSA;CSA;Min;quinze;15;1\n").encode(), "un nombre entier est attendu"),
        # Every error of a line at once (issue 12, item 13).
        (
            (ENTETE + "csa;;XYZ;Min;quinze;-1;1\n").encode(),
            "Ligne 2 : sièges de titulaires : un nombre entier est attendu. ; sièges de "
            "suppléants : un nombre entre 0 et 32 767 est attendu. ; intitulé : ",
        ),
        ((ENTETE + "csa;CSA;CSA;Min;0;0;1\n").encode(), "sièges de titulaires"),
        ((ENTETE + "csa;CSA;CSA\n").encode(), "Ligne 2 : 3 champs au lieu de 7"),
        (
            (ENTETE + "csa;CSA\x1b;CSA;Min;15;15;1\n").encode(),
            "Ligne 2, colonne « intitule » : Caractère de contrôle interdit.",
        ),
        (b"\x00\x01\x02", "octets nuls"),
        (b"\x81\x8d\x8f" * 3, "ni en UTF-8 ni en Windows-1252"),
    ],
)
def test_un_fichier_de_scrutins_fautif_n_enregistre_rien(
    creer_campagne, contenu: bytes, erreur: str
) -> None:
    campagne = creer_campagne()
    rapport = importer_scrutins(campagne=campagne, fichier=io.BytesIO(contenu))
    assert rapport.refuse
    assert any(erreur in str(e) for e in rapport.erreurs), rapport.erreurs
    assert not Scrutin.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contenu=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_aucun_fichier_ne_fait_planter_ni_n_enregistre_a_moitie(creer_campagne, contenu) -> None:
    campagne = Campagne.objects.first() or creer_campagne()
    rapport = importer_scrutins(campagne=campagne, fichier=io.BytesIO(ENTETE.encode() + contenu))
    if rapport.refuse:
        assert not Scrutin.objects.filter(campagne=campagne).exists()
    Scrutin.objects.filter(campagne=campagne).delete()


def test_l_assistance_ne_cree_pas_de_campagne(client: Client) -> None:
    from django.contrib.auth.models import Group

    aide = Compte.objects.create_user("aide@x.fr", "Phrase de gestion solide 2026", is_staff=True)
    aide.groups.add(Group.objects.get(name="Assistance"))
    verifier_second_facteur(client, aide)
    assert client.post(reverse("gestion:nouvelle_campagne"), champs()).status_code == 403
    assert not Campagne.objects.exists()
