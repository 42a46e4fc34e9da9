"""All-or-nothing across the two databases: a vote killed between any two of its steps,
then the recovery, leave as many ballots as émargements, and the voter either has voted
or can vote again. Plus 50 simultaneous submissions by one voter."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections

from isoloir.ballotbox import services as urne
from isoloir.ballotbox.models import Bulletin, DepotEnAttente
from isoloir.booth import depot
from isoloir.booth.models import Emargement, IntentionDeVote
from isoloir.core import horloge
from tests.attente import PLAFOND
from tests.booth.panne import POINTS, RECUPERATION
from tests.concurrence import en_meme_temps
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour

transactionnel = pytest.mark.django_db(databases=URNE_ET_DEFAUT, transaction=True)
RACINE = Path(__file__).resolve().parents[2]


def _url_de(alias: str) -> str:
    reglages = connections[alias].settings_dict
    if reglages["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{reglages['NAME']}"
    return f"postgres://{reglages['USER']}@{reglages['HOST']}:{reglages['PORT']}/{reglages['NAME']}"


def _voter_puis_mourir(point: str, electeur, scrutin, tmp_path: Path) -> None:
    """Run a vote (or, at RECUPERATION, the recovery) in a process killed at ``point``."""
    fichier = tmp_path / "bulletin.json"
    fichier.write_text(bulletin_pour(scrutin, 1))
    environnement = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "isoloir.settings",
        "DATABASE_URL": _url_de("default"),
        "URNE_DATABASE_URL": _url_de("urne"),
        "ISOLOIR_DATA_DIR": str(django_settings.DATA_DIR),
    }
    fini = subprocess.run(
        [
            *(sys.executable, "-m", "tests.booth.panne", point),
            *(str(electeur.pk), str(scrutin.pk), str(fichier)),
        ],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        timeout=PLAFOND,
    )
    assert fini.returncode == -signal.SIGKILL, fini.stderr.decode()[-2000:]


# What the urne and the émargement hold right after the crash, before recovery.
ETAT_APRES_PANNE = {
    "apres_reservation": (0, 0),
    "apres_depot": (1, 0),
    "apres_emargement": (1, 1),
    "apres_confirmation": (1, 1),
}
# Whether the vote counts once recovered: only what reached the urne can.
VOTE_COMPTE = {
    "apres_reservation": False,
    "apres_depot": True,
    "apres_emargement": True,
    "apres_confirmation": True,
}


@transactionnel
@pytest.mark.lent
@pytest.mark.parametrize("point", POINTS)
def test_un_vote_tue_entre_deux_etapes_est_repare(
    point, electeur, scrutin, tmp_path, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _voter_puis_mourir(point, electeur, scrutin, tmp_path)
    assert (Bulletin.objects.count(), Emargement.objects.count()) == ETAT_APRES_PANNE[point]
    assert IntentionDeVote.objects.count() == 1

    # A sweep right away leaves a vote that may still be in flight alone.
    assert depot.recuperer() == depot.Bilan()
    with horloge.decalee_de(timedelta(minutes=2)):
        depot.recuperer()

    assert IntentionDeVote.objects.count() == 0
    assert DepotEnAttente.objects.count() == 0
    assert Bulletin.objects.count() == Emargement.objects.count()
    if VOTE_COMPTE[point]:
        assert Emargement.objects.count() == 1
        with pytest.raises(depot.DejaVote):
            depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    else:
        assert Emargement.objects.count() == 0
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
        assert Bulletin.objects.count() == Emargement.objects.count() == 1


@transactionnel
@pytest.mark.lent
def test_une_recuperation_tuee_en_cours_de_route_est_reprise(electeur, scrutin, tmp_path) -> None:
    """Killed after committing the émargement, before the urne's cleanup: the next round
    finds a done intent and only cleans up; never a ballot without émargement."""
    _voter_puis_mourir("apres_depot", electeur, scrutin, tmp_path)
    _voter_puis_mourir(RECUPERATION, electeur, scrutin, tmp_path)
    assert Bulletin.objects.count() == Emargement.objects.count() == 1
    assert IntentionDeVote.objects.get().faite
    assert DepotEnAttente.objects.count() == 1
    with horloge.decalee_de(timedelta(minutes=2)):
        bilan = depot.recuperer()
    assert bilan.terminees == 1
    assert Bulletin.objects.count() == Emargement.objects.count() == 1
    assert IntentionDeVote.objects.count() == DepotEnAttente.objects.count() == 0


@transactionnel
def test_une_urne_injoignable_apres_l_emargement_n_empeche_pas_l_accuse(
    electeur, scrutin, monkeypatch
) -> None:
    from django.db import OperationalError

    def injoignable(empreinte_nonce: str) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(urne, "confirmer", injoignable)
    accuse = depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert accuse.traceur == Bulletin.objects.get().traceur
    monkeypatch.undo()
    with horloge.decalee_de(timedelta(minutes=2)):
        assert depot.recuperer().terminees == 1
    assert IntentionDeVote.objects.count() == DepotEnAttente.objects.count() == 0


@transactionnel
def test_une_urne_injoignable_au_depot_laisse_revoter(electeur, scrutin, monkeypatch) -> None:
    from django.db import OperationalError

    def injoignable(**kwargs: object) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(urne, "deposer", injoignable)
    with pytest.raises(depot.UrneIndisponible) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert "réessayez dans quelques minutes" in refus.value.message
    monkeypatch.undo()
    depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    assert Bulletin.objects.count() == Emargement.objects.count() == 1


@transactionnel
def test_le_voteur_revenu_apres_une_panne_n_attend_pas_le_balayage(
    electeur, scrutin, tmp_path
) -> None:
    _voter_puis_mourir("apres_depot", electeur, scrutin, tmp_path)
    with horloge.decalee_de(timedelta(minutes=2)), pytest.raises(depot.DejaVote):
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    assert Bulletin.objects.count() == Emargement.objects.count() == 1
    assert IntentionDeVote.objects.count() == DepotEnAttente.objects.count() == 0


@transactionnel
def test_un_depot_arrive_apres_l_abandon_de_son_intention_est_retire(electeur, scrutin) -> None:
    """Step 2 landing after recovery dropped its intent: never acknowledged, so removed."""
    from isoloir.booth.cles import manifeste_du_scrutin
    from isoloir.crypto.bulletin import verifier_bulletin

    verifie = verifier_bulletin(bulletin_pour(scrutin, 1), manifeste_du_scrutin(scrutin))
    urne.deposer(scrutin_id=scrutin.pk, bulletin=verifie, empreinte_nonce="ab" * 32)
    bilan = depot.recuperer()
    assert bilan.orphelins == 1
    assert Bulletin.objects.count() == DepotEnAttente.objects.count() == 0


@transactionnel
def test_cinquante_envois_simultanes_d_un_electeur_donnent_un_seul_vote(
    electeur, scrutin, monkeypatch
) -> None:
    # All fifty must race for the inscription, not stop at the flood limit.
    from isoloir.core import limites

    monkeypatch.setattr(depot, "ENVOIS_PAR_ELECTEUR", limites.Limite("essai", 1000, 3600))
    bulletins = [bulletin_pour(scrutin, rang % 4) for rang in range(50)]

    def voter(texte: str) -> object:
        try:
            return depot.voter(electeur=electeur, scrutin=scrutin, texte=texte)
        finally:
            connections["urne"].close()

    resultats = en_meme_temps(voter, bulletins)
    acceptes = [r for r in resultats if isinstance(r, depot.Accuse)]
    refuses = [r for r in resultats if isinstance(r, depot.DejaVote | depot.VoteEnCours)]
    assert len(acceptes) == 1, [r for r in resultats if not isinstance(r, depot.Accuse)][:3]
    assert len(refuses) == 49
    assert Bulletin.objects.count() == 1
    assert Emargement.objects.count() == 1
    assert Bulletin.objects.get().traceur == acceptes[0].traceur  # type: ignore[union-attr]
    assert IntentionDeVote.objects.count() == DepotEnAttente.objects.count() == 0


@transactionnel
def test_des_electeurs_differents_votent_en_meme_temps(scrutin, creer_electeur) -> None:
    electeurs = [creer_electeur(scrutin, active=True) for _ in range(12)]
    bulletins = {e.pk: bulletin_pour(scrutin, e.pk % 4) for e in electeurs}

    def voter(electeur) -> object:
        try:
            return depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletins[electeur.pk])
        finally:
            connections["urne"].close()

    resultats = en_meme_temps(voter, electeurs)
    assert all(isinstance(r, depot.Accuse) for r in resultats), resultats
    assert Bulletin.objects.count() == Emargement.objects.count() == 12
