"""Bureaux de vote: their composition under décret 2011-595 art. 11-III, the quorum of a
count (art. 14), and what their members may see during the vote."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from isoloir.accounts.models import Compte
from isoloir.booth import depot
from isoloir.counting.models import BureauDeVote, MembreDuBureau, RattachementAuBureau, Role
from isoloir.counting.services import presents_suffisent, problemes_de_composition
from tests.counting.conftest import nouveau_compte
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def test_un_bureau_complet_est_conforme(bureau) -> None:
    assert problemes_de_composition(bureau) == []


def test_moins_de_trois_cles_ou_trop_peu_de_delegues(bureau) -> None:
    bureau.membres.filter(role=Role.DELEGUE).exclude(liste__sigle="FSU").update(
        detenteur_de_cle=False
    )
    problemes = problemes_de_composition(bureau)
    assert "Il faut au moins trois détenteurs de clé ; il y en a 2." in problemes
    assert "Le seuil (3) dépasse le nombre de détenteurs (2)." in problemes


def test_les_deux_tiers_des_cles_aux_delegues(bureau) -> None:
    bureau.membres.filter(role=Role.SECRETAIRE).update(detenteur_de_cle=True)
    # 3 délégués + président + secrétaire = 5 keys, 3 to délégués: 3/5 < 2/3.
    assert (
        "Au moins deux tiers des clés doivent être détenues par des délégués de liste (3 sur 5)."
        in problemes_de_composition(bureau)
    )


def test_le_president_detient_une_cle_et_le_seuil_vaut_au_moins_trois(bureau) -> None:
    bureau.membres.filter(role=Role.PRESIDENT).update(detenteur_de_cle=False)
    bureau.seuil = 2
    bureau.save()
    problemes = problemes_de_composition(bureau)
    assert "Le président doit détenir une clé." in problemes
    assert any(p.startswith("Le seuil doit être d'au moins trois clés") for p in problemes)


def test_un_delegue_d_une_liste_d_un_autre_scrutin(bureau, creer_scrutin, creer_liste) -> None:
    autre = creer_liste(creer_scrutin(bureau.campagne), sigle="SUD")
    MembreDuBureau.objects.create(
        bureau=bureau, compte=nouveau_compte("delegue-sud"), role=Role.DELEGUE, liste=autre
    )
    assert any(
        "qui n'est pas candidate à un scrutin de ce bureau" in p
        for p in problemes_de_composition(bureau)
    )


@pytest.mark.parametrize(
    "champs",
    [
        {"role": Role.PRESIDENT},  # a second président
        {"role": Role.DELEGUE},  # a délégué of no list
    ],
)
def test_les_contraintes_de_la_base(bureau, champs) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MembreDuBureau.objects.create(bureau=bureau, compte=nouveau_compte("intrus"), **champs)


def test_un_seul_delegue_par_liste(bureau, scrutin) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        MembreDuBureau.objects.create(
            bureau=bureau,
            compte=nouveau_compte("second-fsu"),
            role=Role.DELEGUE,
            liste=scrutin.listes.get(sigle="FSU"),
        )


def test_un_scrutin_n_a_qu_un_bureau(bureau, scrutin) -> None:
    autre = BureauDeVote.objects.create(campagne=scrutin.campagne, nom="Autre bureau")
    with pytest.raises(IntegrityError), transaction.atomic():
        RattachementAuBureau.objects.create(bureau=autre, scrutin=scrutin)


def test_le_quorum_du_depouillement(bureau) -> None:
    membres = {m.compte.email.split("@")[0]: m for m in bureau.membres.select_related("compte")}
    assert (
        presents_suffisent(
            bureau,
            presents=[membres["presidente"], membres["delegue-fsu"], membres["delegue-unsa"]],
        )
        == []
    )
    sans_president = presents_suffisent(
        bureau, presents=[membres["delegue-fsu"], membres["delegue-unsa"], membres["delegue-fo"]]
    )
    assert sans_president == [
        "Le président (ou son représentant détenteur de clé) doit être présent."
    ]
    assert presents_suffisent(bureau, presents=[membres["presidente"], membres["delegue-fsu"]]) == [
        "2 détenteur(s) de clé présent(s) sur les 3 requis.",
        "Au moins deux délégués de liste détenteurs de clé doivent être présents.",
    ]


def test_un_membre_voit_la_participation_de_son_bureau_seulement(
    client, bureau, scrutin, electeur, creer_scrutin
) -> None:
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    ailleurs = creer_scrutin(scrutin.campagne, intitule="CAP des agrégés")
    verifier_second_facteur(client, bureau.membres.get(role=Role.SECRETAIRE).compte)
    page = client.get(reverse("counting:participation")).content.decode()
    assert "CSA ministériel" in page
    assert ailleurs.intitule not in page
    verifier_second_facteur(client, nouveau_compte("etranger"))
    assert client.get(reverse("counting:participation")).status_code == 403


def test_le_back_office_nomme_les_membres_et_dit_la_conformite(client, bureau) -> None:
    admin = Compte.objects.create_superuser("admin@education.gouv.fr", "x" * 20)
    verifier_second_facteur(client, admin)
    page = client.get(reverse("admin:counting_bureaudevote_change", args=[bureau.pk]))
    assert page.status_code == 200
    assert "conforme (décret 2011-595, art. 11-III)" in page.content.decode()
    assert client.get(reverse("admin:counting_bureaudevote_add")).status_code == 200


def test_une_intervention_technique_est_consignee_et_montree_au_bureau(client, bureau) -> None:
    """A12: a technical intervention is recorded (in the chained journal) and the bureau
    is told: its dashboard lists it; a vague or anonymous one is refused."""
    from django.core.management import CommandError, call_command

    from isoloir.audit.services import verifier_chaine
    from isoloir.counting.services import interventions

    with pytest.raises(CommandError, match="au moins 10 caractères"):
        call_command(
            "intervention_technique", str(bureau.pk), "--auteur", "Exploitation", "--motif", "rien"
        )
    with pytest.raises(CommandError, match="Aucun bureau de vote n° 999"):
        call_command("intervention_technique", "999", "--auteur", "E", "--motif", "x" * 20)
    call_command(
        "intervention_technique",
        str(bureau.pk),
        "--auteur",
        "Équipe d'exploitation",
        "--motif",
        "Redémarrage du serveur web après une saturation mémoire",
        stdout=io.StringIO(),
    )
    [fait] = interventions(bureau)
    assert (fait.auteur, fait.motif) == (
        "Équipe d'exploitation",
        "Redémarrage du serveur web après une saturation mémoire",
    )
    assert verifier_chaine() is None
    verifier_second_facteur(client, bureau.membres.get(role=Role.SECRETAIRE).compte)
    page = client.get(reverse("counting:bureau", args=[bureau.pk])).content.decode()
    assert "Équipe d&#x27;exploitation, Redémarrage du serveur web après une saturation" in page
