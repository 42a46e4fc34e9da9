"""The one lease of the product's long work (core/bail.py): taken by one worker, refused
to another while the first is alive, taken over once it is silent or when the operator
forces it; the worker that lost it writes nothing more."""

from datetime import timedelta

import pytest
from django.db import transaction

from isoloir.core import bail, horloge
from isoloir.elections.models import EtatImport, ImportListe
from tests.concurrence import en_meme_temps

DUREE = timedelta(minutes=2)
EN_COURS = [EtatImport.DEPOSE, EtatImport.VERIFICATION]


@pytest.fixture
def travail(creer_campagne) -> ImportListe:
    """A row of long work: a roll import, whose fields ``jeton`` and ``battement`` hold
    the lease (a run of the notices has the same two)."""
    return ImportListe.objects.create(
        campagne=creer_campagne(), depose_le=horloge.maintenant(), nom_du_fichier="liste.csv"
    )


def prendre(pk: int, *, forcer: bool = False) -> str | None:
    return bail.prendre(ImportListe, pk, etats=EN_COURS, duree=DUREE, forcer=forcer)


@pytest.mark.django_db
def test_prendre_donne_un_jeton_et_un_battement(travail) -> None:
    jeton = prendre(travail.pk)
    assert jeton is not None and len(jeton) == 32
    travail.refresh_from_db()
    assert travail.jeton == jeton
    assert travail.battement is not None and horloge.maintenant() - travail.battement < DUREE
    assert bail.vivant(travail, duree=DUREE)


@pytest.mark.django_db
def test_refuse_tant_que_le_detenteur_vit(travail) -> None:
    assert prendre(travail.pk) is not None
    with horloge.decalee_de(DUREE - timedelta(seconds=5)):
        assert prendre(travail.pk) is None


@pytest.mark.django_db
def test_repris_quand_le_detenteur_se_tait(travail) -> None:
    ancien = prendre(travail.pk)
    with horloge.decalee_de(DUREE + timedelta(seconds=1)):
        travail.refresh_from_db()
        assert not bail.vivant(travail, duree=DUREE)
        nouveau = prendre(travail.pk)
    assert nouveau is not None and nouveau != ancien
    travail.refresh_from_db()
    assert travail.jeton == nouveau


@pytest.mark.django_db
def test_forcer_reprend_un_bail_vivant(travail) -> None:
    ancien = prendre(travail.pk)
    nouveau = prendre(travail.pk, forcer=True)
    assert nouveau is not None and nouveau != ancien


@pytest.mark.django_db
def test_hors_des_etats_permis_ou_disparu_rien_n_est_pris(travail) -> None:
    ImportListe.objects.filter(pk=travail.pk).update(etat=EtatImport.APPLIQUE)
    assert prendre(travail.pk, forcer=True) is None
    travail.refresh_from_db()
    assert travail.jeton == ""
    assert prendre(travail.pk + 1000) is None


@pytest.mark.django_db
def test_le_bail_perdu_arrete_le_signe_de_vie_sans_rien_ecrire(travail) -> None:
    ancien = prendre(travail.pk)
    assert ancien is not None
    bail.signe_de_vie(ImportListe, travail.pk, ancien, phase="lecture", lignes_traitees=10)
    travail.refresh_from_db()
    assert (travail.phase, travail.lignes_traitees) == ("lecture", 10)

    assert prendre(travail.pk, forcer=True) is not None
    with pytest.raises(bail.BailPerdu):
        bail.signe_de_vie(ImportListe, travail.pk, ancien, lignes_traitees=20)
    with pytest.raises(bail.BailPerdu), transaction.atomic():
        bail.verrouiller(ImportListe, travail.pk, ancien)
    assert not bail.rendre(ImportListe, travail.pk, ancien, etat=EtatImport.INTERROMPU)
    travail.refresh_from_db()
    assert travail.lignes_traitees == 10 and travail.etat == EtatImport.DEPOSE


@pytest.mark.django_db
def test_verrouiller_puis_rendre(travail) -> None:
    jeton = prendre(travail.pk)
    assert jeton is not None
    with transaction.atomic():
        verrouille = bail.verrouiller(ImportListe, travail.pk, jeton)
        assert verrouille.pk == travail.pk and verrouille.jeton == jeton
    assert bail.rendre(ImportListe, travail.pk, jeton, etat=EtatImport.INTERROMPU)
    travail.refresh_from_db()
    assert (travail.jeton, travail.etat) == ("", EtatImport.INTERROMPU)
    # Given back: anyone may take it at once, without waiting for the silence.
    ImportListe.objects.filter(pk=travail.pk).update(etat=EtatImport.DEPOSE)
    assert prendre(travail.pk) is not None


@pytest.mark.django_db
def test_perime_compte_depuis_la_demande_sans_battement(travail) -> None:
    depuis = horloge.maintenant()
    assert not bail.perime(travail, duree=DUREE, depuis=depuis)
    with horloge.decalee_de(DUREE):
        assert bail.perime(travail, duree=DUREE, depuis=depuis)
    jeton = prendre(travail.pk)
    assert jeton is not None
    travail.refresh_from_db()
    # The heartbeat, once there, is what counts.
    with horloge.decalee_de(DUREE - timedelta(seconds=5)):
        assert not bail.perime(travail, duree=DUREE, depuis=depuis - DUREE)


@pytest.mark.django_db(transaction=True)
def test_deux_travailleurs_a_la_fois_un_seul_prend(travail) -> None:
    """Four workers, each on its own connection, released at the same instant: the row
    lock (SQLite's write lock, PostgreSQL's row lock) lets one take the lease."""
    resultats = en_meme_temps(lambda _: prendre(travail.pk), range(4))
    jetons = [r for r in resultats if isinstance(r, str)]
    assert len(jetons) == 1, resultats
    assert resultats.count(None) == 3, resultats
    travail.refresh_from_db()
    assert travail.jeton == jetons[0]


@pytest.mark.django_db
def test_liberer_rend_la_ligne_au_prochain_travailleur_sans_la_dire_abandonnee(travail) -> None:
    mort = prendre(travail.pk)
    with horloge.decalee_de(DUREE + timedelta(seconds=1)):
        assert bail.liberer(ImportListe, travail.pk, si_etat=EtatImport.DEPOSE, message="")
        travail.refresh_from_db()
        # Free for the next worker at once, but just asked for: not stale, not held.
        assert travail.jeton == "" and not bail.vivant(travail, duree=DUREE)
        assert not bail.perime(travail, duree=DUREE, depuis=travail.depose_le)
        assert prendre(travail.pk) is not None
    with pytest.raises(bail.BailPerdu):
        bail.signe_de_vie(ImportListe, travail.pk, mort)


@pytest.mark.django_db
def test_liberer_sous_condition_d_etat(travail) -> None:
    jeton = prendre(travail.pk)
    assert not bail.liberer(ImportListe, travail.pk, si_etat=EtatImport.INTERROMPU)
    travail.refresh_from_db()
    assert travail.jeton == jeton
