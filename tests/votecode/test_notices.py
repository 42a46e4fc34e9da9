"""Initial codes and notices: PDFs per establishment, a run as a background task with its
progress and lease, resumable after a crash, one run at a time, and A04's date."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from isoloir.audit.models import Evenement
from isoloir.audit.services import verifier_chaine
from isoloir.core import horloge
from isoloir.votecode import code, codes_initiaux, impression, lancement, notices, selectors
from isoloir.votecode.generation import executer_generation
from isoloir.votecode.models import CodeDeVote, EtatGeneration, GenerationDeNotices, LotDeNotices
from tests.concurrence import en_meme_temps
from tests.pdf import polices_du_pdf

pytestmark = pytest.mark.django_db


class Imprimeur:
    """Keeps the codes it is given, as the printer would, and may fail once."""

    def __init__(self, panne_apres: int | None = None) -> None:
        self.codes: dict[int, str] = {}
        self.appels = 0
        self.panne_apres = panne_apres

    def __call__(self, fichier, *, campagne, etablissement, electeurs, codes) -> None:
        self.appels += 1
        if self.panne_apres is not None and self.appels > self.panne_apres:
            raise RuntimeError("imprimante arrêtée")
        impression.imprimer_pdf(
            fichier,
            campagne=campagne,
            etablissement=etablissement,
            electeurs=electeurs,
            codes=codes,
        )
        self.codes.update(codes)


@pytest.fixture
def donnees(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def roll(donnees, creer_campagne, creer_scrutin, creer_electeur):
    # Opens in 30 days: the notices are due in 15, generation is on time.
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=30))
    scrutin = creer_scrutin(campagne)
    electeurs = [creer_electeur(scrutin, etablissement="Lycée du Parc, Lyon") for _ in range(3)]
    electeurs += [creer_electeur(scrutin, etablissement="Collège Ampère, Lyon") for _ in range(2)]
    return campagne, electeurs


def _dossier(campagne) -> Path:
    return notices.dossier_des_notices(campagne)


def test_un_pdf_par_etablissement_et_des_codes_qui_fonctionnent(roll, donnees) -> None:
    campagne, electeurs = roll
    imprimeur = Imprimeur()
    rapport = codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=imprimeur)
    assert (rapport.etablissements, rapport.codes) == (2, 5)
    dossier = _dossier(campagne)
    fichiers = sorted(p.name for p in dossier.iterdir())
    assert len(fichiers) == 2
    assert fichiers[0].startswith("college-ampere-lyon--")
    assert dossier.stat().st_mode & 0o777 == 0o700
    for fichier in dossier.iterdir():
        assert fichier.read_bytes().startswith(b"%PDF-")
        assert fichier.stat().st_mode & 0o777 == 0o600  # codes in clear: the printer only
        # Printed in the product's fonts (core/polices.py), embedded for the printer.
        polices = polices_du_pdf(fichier.read_bytes(), donnees)
        assert {nom.split("+")[-1] for nom, _ in polices} == {
            "DejaVuSans",
            "DejaVuSans-Bold",
            "DejaVuSansMono-Bold",
        }
        assert all(incorporee for _, incorporee in polices)
    # Each file is listed as a batch, outside MEDIA_ROOT.
    lots = LotDeNotices.objects.filter(campagne=campagne).order_by("etablissement")
    assert [(lot.etablissement, lot.notices) for lot in lots] == [
        ("Collège Ampère, Lyon", 2),
        ("Lycée du Parc, Lyon", 3),
    ]
    assert {lot.fichier for lot in lots} == set(fichiers)
    for electeur in electeurs:
        empreinte = CodeDeVote.objects.get(electeur=electeur).empreinte
        assert code.verifier(imprimeur.codes[electeur.pk], empreinte)
        assert imprimeur.codes[electeur.pk] not in empreinte
    # A second run finds nothing to do.
    assert codes_initiaux.generer_codes_initiaux(campagne=campagne).codes == 0


def test_un_gros_etablissement_est_coupe_en_plusieurs_fichiers(roll, monkeypatch) -> None:
    campagne, _ = roll
    monkeypatch.setattr(codes_initiaux, "NOTICES_PAR_FICHIER", 2)
    rapport = codes_initiaux.generer_codes_initiaux(campagne=campagne)
    assert (rapport.etablissements, rapport.codes, len(rapport.fichiers)) == (2, 5, 3)
    assert sorted(LotDeNotices.objects.values_list("notices", flat=True)) == [1, 2, 2]


def test_reprise_apres_une_panne_d_impression(roll) -> None:
    campagne, _ = roll
    with pytest.raises(RuntimeError):
        codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=Imprimeur(panne_apres=1))
    assert CodeDeVote.objects.count() == 2  # the first establishment is done
    reprise = Imprimeur()
    assert codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=reprise).codes == 3
    assert CodeDeVote.objects.count() == 5
    assert len(list(_dossier(campagne).iterdir())) == 2
    assert not list(_dossier(campagne).glob("*.partiel"))


def test_l_enregistrement_qui_echoue_ne_laisse_aucun_fichier(roll, monkeypatch) -> None:
    campagne, _ = roll

    def panne(*args, **kwargs):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(codes_initiaux, "_enregistrer", panne)
    with pytest.raises(RuntimeError):
        codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=Imprimeur())
    assert not list(_dossier(campagne).iterdir())  # the temporary file is gone
    assert not CodeDeVote.objects.exists() and not LotDeNotices.objects.exists()


def test_un_commit_perdu_apres_le_fichier_le_fait_reecrire(roll, monkeypatch) -> None:
    """The file took its name, then the transaction failed: its codes were never
    recorded. The next run draws new codes for the same voters into the same file."""
    campagne, _ = roll
    vrai = codes_initiaux.os.replace

    def deplacer_puis_echouer(source, destination):
        vrai(source, destination)
        raise OSError("disque plein au moment du commit")

    monkeypatch.setattr(codes_initiaux.os, "replace", deplacer_puis_echouer)
    premier = Imprimeur()
    with pytest.raises(OSError):
        codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=premier)
    (imprime,) = _dossier(campagne).iterdir()
    assert not CodeDeVote.objects.exists() and not LotDeNotices.objects.exists()
    monkeypatch.setattr(codes_initiaux.os, "replace", vrai)
    second = Imprimeur()
    codes_initiaux.generer_codes_initiaux(campagne=campagne, imprimer=second)
    assert imprime.exists() and len(list(_dossier(campagne).iterdir())) == 2
    for electeur_id, ancien in premier.codes.items():
        empreinte = CodeDeVote.objects.get(electeur_id=electeur_id).empreinte
        assert not code.verifier(ancien, empreinte)
        assert code.verifier(second.codes[electeur_id], empreinte)


# --- Runs through the task ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_generation_par_la_tache_avec_sa_progression(roll, executer_taches) -> None:
    """The task worker needs real commits: the launch queues the task once committed."""
    campagne, _ = roll
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None, ip="10.0.0.1")
    assert generation.etat == EtatGeneration.EN_ATTENTE
    assert selectors.progression_de_la_generation(generation).en_cours is True
    executer_taches()
    generation.refresh_from_db()
    assert generation.etat == EtatGeneration.TERMINEE
    assert (generation.etablissements_faits, generation.etablissements_total) == (2, 2)
    assert (generation.notices_faites, generation.notices_total) == (5, 5)
    assert generation.jeton == "" and generation.terminee_le is not None
    assert LotDeNotices.objects.filter(generation=generation).count() == 2
    assert CodeDeVote.objects.count() == 5
    types = list(Evenement.objects.order_by("pk").values_list("type", flat=True))
    assert types[0] == "notices.generation_lancee"
    assert types.count("codes.generes") == 2
    assert types[-1] == "notices.generation_terminee"
    assert verifier_chaine() is None
    # Everyone has a code now: a new launch has nothing to do.
    with pytest.raises(notices.GenerationRefusee, match="ont déjà leur code"):
        lancement.lancer_generation(campagne=campagne, compte_id=None)


def test_une_tache_livree_deux_fois_ne_fait_rien_la_seconde(roll) -> None:
    campagne, _ = roll
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None)
    executer_generation(generation.pk)
    evenements = Evenement.objects.count()
    assert executer_generation(generation.pk).etat == EtatGeneration.TERMINEE
    assert Evenement.objects.count() == evenements
    assert CodeDeVote.objects.count() == 5


def test_deux_lancements_a_la_fois_sont_refuses(roll) -> None:
    campagne, _ = roll
    lancement.lancer_generation(campagne=campagne, compte_id=None)
    with pytest.raises(notices.GenerationRefusee, match="déjà en cours"):
        lancement.lancer_generation(campagne=campagne, compte_id=None)
    assert GenerationDeNotices.objects.count() == 1


def test_la_base_refuse_deux_generations_actives(roll) -> None:
    """Even a launch that slipped past the check (two processes at once) cannot record a
    second live run: the partial unique constraint holds."""
    from django.db import IntegrityError, transaction

    campagne, _ = roll
    lancement.lancer_generation(campagne=campagne, compte_id=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        GenerationDeNotices.objects.create(campagne=campagne, lancee_le=horloge.maintenant())


def test_un_traitement_en_vie_n_est_pas_double(roll) -> None:
    campagne, _ = roll
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None)
    GenerationDeNotices.objects.filter(pk=generation.pk).update(
        etat=EtatGeneration.EN_COURS, jeton="autre", battement=horloge.maintenant()
    )
    assert executer_generation(generation.pk).etat == EtatGeneration.EN_COURS
    assert not CodeDeVote.objects.exists()


def test_reprise_apres_un_arret_brutal_du_traitement(roll, monkeypatch) -> None:
    """A worker died mid-run (its lease goes stale): the next launch takes the same run
    over, which continues where the dead one stopped; nobody gets two codes."""
    campagne, _ = roll
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None)
    with pytest.raises(RuntimeError):
        executer_generation(generation.pk, imprimer=Imprimeur(panne_apres=1))
    generation.refresh_from_db()
    # An exception is recorded as such; a killed process would leave it « en cours ».
    assert generation.etat == EtatGeneration.ECHOUEE
    assert generation.erreur == "RuntimeError"
    GenerationDeNotices.objects.filter(pk=generation.pk).update(
        etat=EtatGeneration.EN_COURS, jeton="mort", battement=horloge.maintenant(), erreur=""
    )
    with pytest.raises(notices.GenerationRefusee, match="déjà en cours"):
        lancement.lancer_generation(campagne=campagne, compte_id=None)
    plus_tard = horloge.maintenant() + notices.DUREE_DU_BAIL + timedelta(seconds=1)
    monkeypatch.setattr(horloge, "maintenant", lambda: plus_tard)
    reprise = lancement.lancer_generation(campagne=campagne, compte_id=None)
    assert reprise.pk == generation.pk and reprise.reprises == 1
    fin = executer_generation(reprise.pk)
    assert fin.etat == EtatGeneration.TERMINEE
    assert (fin.notices_faites, fin.notices_total, fin.etablissements_faits) == (5, 5, 2)
    assert CodeDeVote.objects.count() == 5
    assert Evenement.objects.filter(type="notices.generation_reprise").count() == 1


def test_apres_un_echec_un_nouveau_lancement_continue(roll) -> None:
    campagne, _ = roll
    premiere = lancement.lancer_generation(campagne=campagne, compte_id=None)
    with pytest.raises(RuntimeError):
        executer_generation(premiere.pk, imprimer=Imprimeur(panne_apres=1))
    assert Evenement.objects.filter(type="notices.generation_echouee").count() == 1
    seconde = lancement.lancer_generation(campagne=campagne, compte_id=None)
    assert seconde.pk != premiere.pk
    fin = executer_generation(seconde.pk)
    # The second run counts what the first did.
    assert (fin.notices_faites, fin.notices_total) == (5, 5)
    assert (fin.etablissements_faits, fin.etablissements_total) == (2, 2)
    assert CodeDeVote.objects.count() == 5


def test_un_traitement_depossede_n_enregistre_rien(roll) -> None:
    """Its lease taken over while it printed, a slow worker records no code and leaves
    no file: the new holder's files are the only ones."""
    campagne, _ = roll
    generation = lancement.lancer_generation(campagne=campagne, compte_id=None)

    class Depossede(Imprimeur):
        def __call__(self, fichier, **kwargs) -> None:
            super().__call__(fichier, **kwargs)
            GenerationDeNotices.objects.filter(pk=generation.pk).update(jeton="repreneur")

    fin = executer_generation(generation.pk, imprimer=Depossede())
    assert fin.jeton == "repreneur"
    assert not CodeDeVote.objects.exists()
    assert not list(_dossier(campagne).iterdir())


def test_a04_refus_apres_la_date_de_remise(donnees, creer_campagne, creer_scrutin, creer_electeur):
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=10))
    creer_electeur(creer_scrutin(campagne))
    with pytest.raises(notices.GenerationRefusee) as refus:
        lancement.lancer_generation(campagne=campagne, compte_id=None)
    assert "date limite de remise des notices" in str(refus.value)
    assert "cochez la case de confirmation" in str(refus.value)
    assert not GenerationDeNotices.objects.exists()
    generation = lancement.lancer_generation(
        campagne=campagne, compte_id=None, ip="10.0.0.2", confirmer_hors_delai=True
    )
    assert generation.hors_delai
    evenement = Evenement.objects.get(type="notices.generation_lancee_hors_delai_confirme")
    assert evenement.details["hors_delai"] is True
    assert evenement.ip == "10.0.0.2"


def test_commande(roll, capsys) -> None:
    campagne, _ = roll
    call_command("generer_codes", "--campagne", campagne.slug)
    sortie = capsys.readouterr().out
    assert "[1/2] Collège Ampère, Lyon : 2 notice(s)" in sortie
    assert "5 électeur(s) sur 5 ont leur code de vote, 2 établissement(s) sur 2" in sortie
    assert GenerationDeNotices.objects.get().etat == EtatGeneration.TERMINEE


def test_commande_refusee_hors_delai_sans_confirmation(
    donnees, creer_campagne, creer_scrutin, creer_electeur, capsys
) -> None:
    campagne = creer_campagne(ouverture=horloge.maintenant() + timedelta(days=3))
    creer_electeur(creer_scrutin(campagne))
    with pytest.raises(CommandError, match="date limite"):
        call_command("generer_codes", "--campagne", campagne.slug)
    call_command("generer_codes", "--campagne", campagne.slug, "--hors-delai")
    assert CodeDeVote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_lancements_simultanes_une_seule_generation(roll) -> None:
    campagne, _ = roll
    resultats = en_meme_temps(
        lambda n: lancement.lancer_generation(campagne=campagne, compte_id=None), range(4)
    )
    gagnants = [r for r in resultats if isinstance(r, GenerationDeNotices)]
    assert len(gagnants) == 1, resultats
    assert all(isinstance(r, notices.GenerationRefusee) for r in resultats if r not in gagnants)
    assert GenerationDeNotices.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_deux_traitements_simultanes_d_une_generation(roll) -> None:
    """The same task delivered twice at once: one worker holds the lease, every voter gets
    one code, every file is listed once."""
    campagne, electeurs = roll
    generation = lancement.lancer_generation(
        campagne=campagne, compte_id=None, mettre_en_file=False
    )
    resultats = en_meme_temps(lambda n: executer_generation(generation.pk), range(2))
    assert all(isinstance(r, GenerationDeNotices) for r in resultats), resultats
    generation.refresh_from_db()
    assert generation.etat == EtatGeneration.TERMINEE
    assert CodeDeVote.objects.count() == len(electeurs)
    lots = set(LotDeNotices.objects.values_list("fichier", flat=True))
    assert lots == {p.name for p in _dossier(campagne).iterdir()}
    assert sum(LotDeNotices.objects.values_list("notices", flat=True)) == len(electeurs)
