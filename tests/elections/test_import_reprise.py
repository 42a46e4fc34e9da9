"""An import killed halfway (SIGKILL, a real process) and then given again continues where
it stopped, and ends in the very state of one uninterrupted run."""

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections

from isoloir.accounts.models import Electeur
from isoloir.core import bail
from isoloir.elections.import_liste import application, depot, etats, verification
from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.import_liste.rapport import RapportImport
from isoloir.elections.models import EtatImport, ImportListe, Inscription
from tests.attente import PLAFOND
from tests.elections.import_tue import POINTS, TAILLE_LOT
from tests.elections.test_import_liste import CODES, campagne_des_tests, ligne, texte_csv
from tests.factories import numen_de

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.lent]


@pytest.fixture(autouse=True)
def _dossier_propre(settings, tmp_path) -> None:
    """Each test its own folder of stored files, shared with its killed process."""
    settings.DATA_DIR = tmp_path / "donnees"


RACINE = Path(__file__).resolve().parents[2]
VOTANTS = 300


@pytest.fixture
def campagne(creer_campagne, creer_scrutin):
    return campagne_des_tests(creer_campagne, creer_scrutin)


def rangs(modifies: bool) -> list[dict[str, str]]:
    """The initial roll, or the next one: 10 changed, 20 gone, 10 new."""
    resultat = []
    for i in range(VOTANTS):
        valeurs = ligne(
            numen=numen_de(2000 + i),
            email_professionnel=f"agent{i}@ac-lyon.fr",
            nom_naissance=f"Nom{i}",
            scrutins="|".join(CODES[i % 3 : i % 3 + 2]),
        )
        if modifies and i < 10:
            valeurs["etablissement"] = "Collège Jean Moulin"
        if modifies and 10 <= i < 30:
            continue
        resultat.append(valeurs)
    if modifies:
        resultat += [
            ligne(numen=numen_de(5000 + i), email_professionnel=f"nouveau{i}@ac-lyon.fr")
            for i in range(10)
        ]
    return resultat


def photo(campagne) -> list[tuple[object, ...]]:
    """The campaign's roll as a voter or an auditor sees it."""
    return sorted(
        Inscription.objects.filter(scrutin__campagne=campagne).values_list(
            "electeur__numen_empreinte",
            "electeur__compte__email",
            "electeur__nom_naissance",
            "electeur__etablissement",
            "scrutin__code",
        )
    )


def chiffres(rapport) -> tuple[object, ...]:
    return (
        rapport.electeurs_ajoutes,
        rapport.electeurs_modifies,
        rapport.electeurs_retires,
        rapport.electeurs_inchanges,
        rapport.inscriptions_ajoutees,
        rapport.inscriptions_retirees,
        rapport.par_scrutin,
        rapport.champs_modifies,
    )


def _url_de(alias: str) -> str:
    reglages = connections[alias].settings_dict
    if reglages["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{reglages['NAME']}"
    return f"postgres://{reglages['USER']}@{reglages['HOST']}:{reglages['PORT']}/{reglages['NAME']}"


def importer_puis_mourir(point: str, campagne, fichier: Path) -> None:
    environnement = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "isoloir.settings",
        "DATABASE_URL": _url_de("default"),
        "URNE_DATABASE_URL": _url_de("urne"),
        "ISOLOIR_DATA_DIR": str(django_settings.DATA_DIR),
    }
    fini = subprocess.run(
        [sys.executable, "-m", "tests.elections.import_tue", point, campagne.slug, str(fichier)],
        cwd=RACINE,
        env=environnement,
        capture_output=True,
        timeout=PLAFOND,
    )
    assert fini.returncode == -signal.SIGKILL, fini.stderr.decode()[-2000:]


@pytest.mark.parametrize("point", POINTS)
def test_reprise_apres_sigkill_egale_un_seul_import(point, campagne, tmp_path) -> None:
    initial, suivant = tmp_path / "initial.csv", tmp_path / "suivant.csv"
    initial.write_text(texte_csv(*rangs(False)), encoding="utf-8")
    suivant.write_text(texte_csv(*rangs(True)), encoding="utf-8")
    assert not importer_liste_electorale(campagne=campagne, fichier=initial).refuse
    depart = photo(campagne)

    # The reference: one uninterrupted run; then the initial file puts the roll back.
    reference = importer_liste_electorale(campagne=campagne, fichier=suivant)
    assert not reference.refuse, reference.erreurs
    attendu = photo(campagne)
    assert chiffres(reference)[:4] == (10, 10, 20, 270)
    importer_liste_electorale(campagne=campagne, fichier=initial)
    assert photo(campagne) == depart

    importer_puis_mourir(point, campagne, suivant)

    import_ = ImportListe.objects.get(etat=EtatImport.APPLICATION)
    if point == "pendant_un_lot":
        # Two batches committed with their checkpoint; the third one was lost whole.
        assert import_.phase == "application"
        assert import_.reprise == 2 * TAILLE_LOT + 1  # the header is line 1
        assert (
            import_.compteurs["electeurs_inchanges"] + import_.compteurs["electeurs_modifies"]
            == 2 * TAILLE_LOT
        )
    else:
        assert import_.phase == "retraits"
        # 20 voters on two scrutins each: one batch of 30 inscriptions removed out of 40.
        assert import_.compteurs["inscriptions_retirees"] == 30
    assert photo(campagne) != attendu
    # A second import of the campaign meanwhile is refused, in French.
    autre = importer_liste_electorale(campagne=campagne, fichier=initial)
    assert [e.raison for e in autre.erreurs] == [etats.MESSAGE_IMPORT_EN_COURS]

    sortie = io.StringIO()
    call_command(
        "import_electeurs", "--campagne", campagne.slug, "--reprendre", str(suivant), stdout=sortie
    )

    assert "Import enregistré." in sortie.getvalue()
    assert photo(campagne) == attendu
    import_.refresh_from_db()
    assert (import_.etat, import_.chemin) == (EtatImport.APPLIQUE, "")
    reprise = RapportImport.depuis_json(import_.compteurs)
    assert chiffres(reprise) == chiffres(reference)
    assert Electeur.objects.count() == VOTANTS + 10  # removed voters keep their account
    assert not list(depot.dossier_des_imports().iterdir())


def test_sans_reprendre_la_commande_attend_que_l_import_soit_arrete(campagne, tmp_path) -> None:
    fichier = tmp_path / "liste.csv"
    fichier.write_text(texte_csv(*rangs(False)), encoding="utf-8")
    importer_puis_mourir("pendant_un_lot", campagne, fichier)
    # Its heartbeat is fresh: the worker might still be alive.
    rapport = importer_liste_electorale(campagne=campagne, fichier=fichier)
    assert [e.raison for e in rapport.erreurs] == [etats.MESSAGE_IMPORT_EN_COURS]
    # Silent for longer than the delay: it is taken for dead and resumed.
    ImportListe.objects.update(
        battement=ImportListe.objects.get().battement - etats.DELAI_DE_SILENCE
    )
    rapport = importer_liste_electorale(campagne=campagne, fichier=fichier)
    assert not rapport.refuse, rapport.erreurs
    assert rapport.electeurs_ajoutes == VOTANTS
    assert Inscription.objects.filter(scrutin__campagne=campagne).count() == 2 * VOTANTS


def prendre(import_id: int, *, forcer: bool = False) -> str | None:
    """The application's lease, as its worker takes it."""
    return bail.prendre(
        ImportListe,
        import_id,
        etats=[EtatImport.APPLICATION],
        duree=etats.DELAI_DE_SILENCE,
        forcer=forcer,
    )


def test_un_travailleur_depasse_s_arrete_sans_ecrire(campagne, tmp_path) -> None:
    """Two workers on one import: the one whose lease was taken over stops at its next
    batch, before writing anything."""
    fichier = tmp_path / "liste.csv"
    fichier.write_text(texte_csv(*rangs(False)), encoding="utf-8")
    import_ = depot.deposer(campagne=campagne, fichier=fichier)
    verification.verifier(import_.pk)
    application.demander_application(import_)
    ancien = prendre(import_.pk)
    assert ancien is not None
    assert prendre(import_.pk) is None  # alive
    # The operator takes it over (the command's --reprendre).
    assert prendre(import_.pk, forcer=True) is not None
    with pytest.raises(bail.BailPerdu):
        application._appliquer_le_fichier(
            import_.pk, ancien, verification.scrutins_de_la_campagne(campagne)
        )
    assert Electeur.objects.count() == 0
    assert application.appliquer(import_.pk, forcer=True) is not None
    assert Electeur.objects.count() == VOTANTS
