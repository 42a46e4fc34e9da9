"""Voting in the booth: one encrypted ballot per voter and scrutin, émargement and urne
apart, every refusal with its French message and nothing written."""

import json
from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse

from isoloir.audit.models import Evenement
from isoloir.ballotbox.models import Bulletin, DepotEnAttente
from isoloir.booth import depot
from isoloir.booth.models import CleDeScrutin, Emargement, IntentionDeVote
from isoloir.core import horloge
from isoloir.notify.models import Courriel
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour
from tests.second_facteur import verifier_second_facteur

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


def _rien_d_ecrit() -> None:
    assert Bulletin.objects.count() == 0
    assert DepotEnAttente.objects.count() == 0
    assert Emargement.objects.count() == 0
    assert IntentionDeVote.objects.count() == 0


def test_un_vote_depose_le_bulletin_et_signe_l_emargement(electeur, scrutin) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    bulletin = Bulletin.objects.get()
    assert bulletin.traceur == accuse.traceur
    assert bulletin.scrutin_id == scrutin.pk
    emargement = Emargement.objects.get()
    assert emargement.inscription.electeur == electeur
    assert emargement.emarge_le == accuse.emarge_le
    # Only the ballot and the émargement remain: the link of the vote's steps is gone.
    assert DepotEnAttente.objects.count() == 0
    assert IntentionDeVote.objects.count() == 0


def test_un_second_vote_est_refuse(electeur, scrutin) -> None:
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    with pytest.raises(depot.DejaVote) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 0))
    assert "Vous avez déjà voté à ce scrutin" in refus.value.message
    assert Bulletin.objects.count() == Emargement.objects.count() == 1


@pytest.mark.parametrize(
    ("texte", "debut"),
    [
        ("", "Le bulletin reçu est illisible."),
        ("{}", "Le bulletin reçu est illisible."),
        ("pas du json", "Le bulletin reçu est illisible."),
    ],
)
def test_un_bulletin_illisible_est_refuse(electeur, scrutin, texte, debut) -> None:
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    assert refus.value.message.startswith(debut)
    assert "Votre vote n'a pas été enregistré" in refus.value.message
    _rien_d_ecrit()


def test_une_preuve_fausse_est_refusee(electeur, scrutin) -> None:
    bulletin = json.loads(bulletin_pour(scrutin, 1))
    preuve = bulletin["choix"][0]["preuve"]
    preuve["s0"], preuve["s1"] = preuve["s1"], preuve["s0"]
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=json.dumps(bulletin))
    assert "ses preuves de validité sont fausses" in refus.value.message
    _rien_d_ecrit()


def test_un_bulletin_d_un_autre_scrutin_est_refuse(
    electeur, scrutin, campagne, creer_scrutin, creer_liste
) -> None:
    autre = creer_scrutin(campagne, code="cap-certifies")
    for ordre in range(1, 4):
        creer_liste(autre, ordre=ordre)
    from isoloir.booth.cles import ceremonie_de_developpement

    ceremonie_de_developpement(campagne)
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(autre, 1))
    assert refus.value.code == "scrutin"
    assert "préparé pour un autre scrutin" in refus.value.message
    _rien_d_ecrit()


def test_un_bulletin_prepare_avant_un_changement_du_scrutin_est_refuse(
    electeur, scrutin, creer_liste
) -> None:
    texte = bulletin_pour(scrutin, 1)
    creer_liste(scrutin, ordre=9, sigle="SUD")
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    assert refus.value.code == "election"
    _rien_d_ecrit()


def test_le_bulletin_recopie_d_un_autre_electeur_est_refuse(
    electeur, scrutin, creer_electeur
) -> None:
    autre = creer_electeur(scrutin, active=True)
    texte = bulletin_pour(scrutin, 3)
    depot.voter(electeur=autre, scrutin=scrutin, texte=texte)
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    assert refus.value.code == "rejeu"
    assert "bulletin recopié" in refus.value.message
    assert Bulletin.objects.count() == Emargement.objects.count() == 1
    assert IntentionDeVote.objects.count() == 0
    # The copier's own vote is still possible.
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert Bulletin.objects.count() == Emargement.objects.count() == 2


@pytest.mark.calendrier
def test_hors_de_la_fenetre_du_scrutin_le_vote_est_refuse(electeur, scrutin) -> None:
    texte = bulletin_pour(scrutin, 1)
    _, cloture = scrutin.fenetre
    with horloge.figee_a(cloture), pytest.raises(depot.HorsFenetre) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    assert "le vote est clos : il était ouvert du" in refus.value.message
    assert "(heure de Paris)" in refus.value.message
    _rien_d_ecrit()


@pytest.mark.calendrier
def test_la_fenetre_propre_du_scrutin_prime(electeur, scrutin) -> None:
    scrutin.ouverture = horloge.maintenant() + timedelta(hours=2)
    scrutin.cloture = horloge.maintenant() + timedelta(days=2)
    scrutin.save()
    # The manifest (and so the ballot) binds the window: a ballot made now is for it.
    with pytest.raises(depot.HorsFenetre):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    _rien_d_ecrit()


def test_sans_cle_publiee_le_scrutin_refuse_les_bulletins(electeur, scrutin) -> None:
    texte = bulletin_pour(scrutin, 1)
    CleDeScrutin.objects.all().delete()
    with pytest.raises(depot.ScrutinNonPret):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    _rien_d_ecrit()


def test_en_production_une_cle_de_developpement_refuse_tout_bulletin(
    electeur, scrutin, settings
) -> None:
    texte = bulletin_pour(scrutin, 1)
    settings.PRODUCTION = True
    with pytest.raises(depot.ScrutinNonPret) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
    assert "cérémonie de développement" in refus.value.message
    _rien_d_ecrit()


def test_un_electeur_non_inscrit_ne_vote_pas(scrutin, creer_electeur, creer_scrutin) -> None:
    ailleurs = creer_electeur(creer_scrutin(scrutin.campagne), active=True)
    with pytest.raises(depot.NonInscrit):
        depot.voter(electeur=ailleurs, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    _rien_d_ecrit()


def test_un_vote_recent_en_cours_bloque_un_second_envoi(electeur, scrutin) -> None:
    inscription = electeur.inscriptions.get()
    IntentionDeVote.objects.create(
        inscription=inscription, nonce="0" * 64, creee_le=horloge.maintenant()
    )
    with pytest.raises(depot.VoteEnCours):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert Bulletin.objects.count() == 0


@pytest.mark.calendrier
def test_un_vote_interrompu_depuis_plus_d_une_minute_est_repris(electeur, scrutin) -> None:
    inscription = electeur.inscriptions.get()
    IntentionDeVote.objects.create(
        inscription=inscription, nonce="0" * 64, creee_le=horloge.maintenant()
    )
    with horloge.decalee_de(timedelta(minutes=2)):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert Bulletin.objects.count() == Emargement.objects.count() == 1


def test_l_urne_ne_contient_rien_qui_mene_a_l_electeur(electeur, scrutin) -> None:
    """A05: no column, key or time that joins a ballot back to its voter."""
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    colonnes = {f.column for f in Bulletin._meta.concrete_fields}
    assert colonnes == {"id", "scrutin_id", "contenu", "traceur", "alpha0"}
    bulletin = Bulletin.objects.get()
    valeurs = json.dumps([getattr(bulletin, f.attname) for f in Bulletin._meta.concrete_fields])
    for trace in (
        str(electeur.pk),
        str(electeur.compte_id),
        electeur.compte.email,
        electeur.nom_naissance,
        str(electeur.inscriptions.get().pk),
    ):
        assert f'"{trace}"' not in valeurs
    assert len(bulletin.id) == 32 and int(bulletin.id, 16)  # random, not a sequence
    connexion = connections["urne"]
    if connexion.vendor == "sqlite":
        with connexion.cursor() as curseur:
            curseur.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", [Bulletin._meta.db_table]
            )
            assert curseur.fetchone()[0].rstrip().endswith("WITHOUT ROWID")


def test_le_journal_ne_relie_pas_l_electeur_a_son_bulletin(electeur, scrutin) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    evenement = Evenement.objects.get(type="vote.emargement")
    assert evenement.compte_id == electeur.compte_id
    tout = json.dumps(list(Evenement.objects.values()), default=str)
    assert accuse.traceur not in tout
    assert Bulletin.objects.get().alpha0 not in tout


@pytest.mark.django_db(databases=URNE_ET_DEFAUT, transaction=True)
@pytest.mark.calendrier
def test_l_accuse_est_envoye_puis_le_traceur_oublie(
    electeur, scrutin, boite, executer_taches
) -> None:
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    courriel = Courriel.objects.get(type="accuse_de_vote")
    assert courriel.destinataire == "marc.campodifiori@ac-lyon.fr"
    executer_taches()
    (message,) = boite.attendre(1)
    assert message["To"] == "marc.campodifiori@ac-lyon.fr"
    # Header folding may double a space; the words are what matter.
    assert " ".join(message["Subject"].split()) == (
        "Accusé de réception de votre vote — CSA ministériel"
    )
    texte = message.get_body(("plain",)).get_content()
    assert accuse.traceur in texte
    assert "/tableau/" in texte
    courriel.refresh_from_db()
    assert courriel.etat == "envoye"
    assert courriel.contexte == {}  # the link voter → tracker leaves with the mail


def test_apres_un_reassort_un_electeur_qui_a_vote_ne_revote_pas(electeur, scrutin) -> None:
    """A13: a new code de vote opens the voting space again, not a second vote."""
    from django.db import transaction

    from isoloir.votecode import services
    from isoloir.votecode.models import Origine

    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    with transaction.atomic():
        services.emettre(electeur=electeur, origine=Origine.REASSORT)
    with pytest.raises(depot.DejaVote):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    assert Bulletin.objects.count() == Emargement.objects.count() == 1


def test_le_back_office_ne_montre_pas_le_traceur_d_un_accuse_en_attente(
    client, electeur, scrutin
) -> None:
    from isoloir.accounts.models import Compte

    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    courriel = Courriel.objects.get(type="accuse_de_vote")
    assert courriel.contexte["traceur"] == accuse.traceur  # still waiting to be sent
    admin = Compte.objects.create_superuser("admin@education.gouv.fr", "x" * 20)
    verifier_second_facteur(client, admin)
    page = client.get(reverse("admin:notify_courriel_change", args=[courriel.pk]))
    assert page.status_code == 200
    assert accuse.traceur not in page.content.decode()


def test_un_flot_de_bulletins_est_arrete(electeur, scrutin) -> None:
    for _ in range(depot.ENVOIS_PAR_ELECTEUR.plafond):
        with pytest.raises(depot.BulletinRefuse):
            depot.voter(electeur=electeur, scrutin=scrutin, texte="{}")
    with pytest.raises(depot.TropDEnvois) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert "Trop de bulletins envoyés" in refus.value.message
    _rien_d_ecrit()


def test_un_bulletin_qui_reprend_le_premier_chiffre_d_un_autre_est_refuse(
    electeur, scrutin, creer_electeur
) -> None:
    """Same randomness, other choice: other β, other proofs, other tracker, but the same
    α₀. Only whoever holds the randomness of a ballot can do that: refused as a copy."""
    from isoloir.booth.cles import manifeste_du_scrutin
    from isoloir.crypto.bulletin import creer_bulletin
    from isoloir.crypto.groupe import AleaDeterministe

    manifeste = manifeste_du_scrutin(scrutin)
    premier = creer_bulletin(manifeste, 1, AleaDeterministe(b"graine"))
    second = creer_bulletin(manifeste, 2, AleaDeterministe(b"graine"))
    assert json.loads(premier)["choix"][0]["alpha"] == json.loads(second)["choix"][0]["alpha"]
    depot.voter(electeur=creer_electeur(scrutin, active=True), scrutin=scrutin, texte=premier)
    with pytest.raises(depot.BulletinRefuse) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=second)
    assert refus.value.code == "rejeu"
    assert Bulletin.objects.count() == Emargement.objects.count() == 1
