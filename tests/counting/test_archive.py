"""The public archive of an election and ``isoloir verify`` (issue 5 § 8).

One complete election (ceremony on the holders' devices, seal, votes through the booth,
closing, count with exactly t shares and a seat settled by lot) gives an archive; the
honest archive verifies, with the database out of reach; then each kind of element is
tampered with, one at a time, and the verifier must say exactly what fails and exit 1."""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from isoloir.core import horloge
from isoloir.counting import views_archive
from isoloir.counting.archive import ArchiveImpossible, archive_publiee, construire_archive
from isoloir.crypto import tableau
from isoloir.crypto.bulletin import creer_bulletin, json_canonique, traceur
from isoloir.crypto.groupe import AleaSysteme, base
from isoloir.crypto.manifeste import lire_manifeste
from isoloir.crypto.seuil import Plainte, PreuveEgalite
from isoloir.verification import verifier_archive
from tests.attente import PLAFOND
from tests.counting.resultats import APRES_LA_CLOTURE, candidats, depouiller
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

# Blank ×1, FSU ×3, UNSA ×3, FO ×1 for 3 seats: FSU and UNSA get one each at the quotient
# and tie for the last at the highest average, with the same votes: a lot decides.
CHOIX = [0, 1, 1, 1, 2, 2, 2, 3]
SCRUTIN = "csa-men"

# Built once per test process: the election takes seconds, each check reads a copy.
_CONSTRUITE: dict[str, Any] = {}


def _election(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    bureau = request.getfixturevalue("bureau")
    scrutin = request.getfixturevalue("scrutin")
    creer_electeur = request.getfixturevalue("creer_electeur")
    scrutin.sieges_titulaires = 3
    scrutin.save(update_fields=["sieges_titulaires"])
    candidats(
        scrutin,
        {
            "FSU": ["Aubrac Lucie", "Moulin Jean"],
            "UNSA": ["Zay Jean", "Tillion Germaine"],
            "FO": ["Brossolette Pierre"],
        },
    )
    d = depouiller(bureau, scrutin, creer_electeur, CHOIX, abstentions=2)
    assert d.resultat is not None and d.resultat["tirage_au_sort"] is True
    with horloge.decalee_de(APRES_LA_CLOTURE):
        premiere = construire_archive(scrutin.campagne, tmp_path / "premiere.zip")
        seconde = construire_archive(bureau, tmp_path / "seconde.zip")
    return {
        "octets": premiere.read_bytes(),
        "seconde": seconde.read_bytes(),
        "bureau": f"bureau-{bureau.pk}",
        "resultat": d.resultat,
    }


@pytest.fixture
def election(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    if not _CONSTRUITE:
        _CONSTRUITE.update(_election(request, tmp_path))
    return _CONSTRUITE


@pytest.fixture
def archive(election: dict[str, Any], tmp_path: Path) -> Path:
    chemin = tmp_path / "archive.zip"
    chemin.write_bytes(election["octets"])
    return chemin


def _sans_base(archive: str | Path) -> subprocess.CompletedProcess[str]:
    """``isoloir verify`` in its own process, every database on a closed port."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/absente",
        "URNE_DATABASE_URL": "postgres://postgres@127.0.0.1:9/absente",
        "CACHE_URL": "locmemcache://",
    }
    return subprocess.run(
        [sys.executable, "-m", "isoloir.cli", "verify", str(archive)],
        capture_output=True,
        text=True,
        env=env,
        timeout=PLAFOND,
        check=False,
    )


def test_l_archive_honnete_se_verifie_sans_base(election, archive) -> None:
    rapport = verifier_archive(archive)
    assert rapport.ok, rapport.messages(echecs_seulement=True)
    controles = {c.controle for c in rapport.constats}
    assert controles == {
        "Archive",
        f"Manifeste du scrutin {SCRUTIN}",
        "Cérémonie des clés — BV du CSA ministériel",
        "Scellement — BV du CSA ministériel",
        f"Urne du scrutin {SCRUTIN}",
        f"Tableau d'affichage du scrutin {SCRUTIN}",
        f"Dépouillement du scrutin {SCRUTIN}",
    }
    messages = "\n".join(rapport.messages())
    b = election["bureau"]
    for attendu in (
        f"ceremonie/{b}.json : distribution du détenteur 4 vérifiée",
        f"scellement/{b}.json : signature du détenteur 1 (président) vérifiée.",
        f"urne/{SCRUTIN}.jsonl : 8 bulletins, chacun vérifié contre le manifeste",
        f"depouillement/{SCRUTIN}.json : part de déchiffrement du détenteur 3 vérifiée.",
        "(votes blancs 1, liste FSU 3, liste UNSA 3, liste FO 1) : égal au résultat publié.",
        "blancs + exprimés = votants = émargements (8)",
    ):
        assert attendu in messages, attendu

    # The command, in a process that cannot reach any database.
    sortie = _sans_base(archive)
    assert sortie.returncode == 0, sortie.stdout + sortie.stderr
    assert "✗" not in sortie.stdout
    assert f"  ✓ urne/{SCRUTIN}.jsonl : 8 bulletins" in sortie.stdout
    assert "Archive vérifiée : les" in sortie.stdout


def _seul(archive: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m isoloir.verification`` in its own process, with no Django settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "isoloir.verification", str(archive)],
        capture_output=True,
        text=True,
        env=env,
        timeout=PLAFOND,
        check=False,
    )


def test_le_verificateur_se_lance_seul_sans_django(archive, tmp_path, django_db_blocker) -> None:
    # Same output as ``isoloir verify``, without DJANGO_SETTINGS_MODULE (issue 13, point 9).
    sortie = _seul(archive)
    assert sortie.returncode == 0, sortie.stdout + sortie.stderr
    commande = io.StringIO()
    with django_db_blocker.block():
        call_command("verify", str(archive), stdout=commande)
    assert sortie.stdout == commande.getvalue()
    assert f"  ✓ urne/{SCRUTIN}.jsonl : 8 bulletins" in sortie.stdout
    assert "Archive vérifiée : les" in sortie.stdout

    abimee = tmp_path / "abimee.zip"
    abimee.write_bytes(b"ceci n'est pas une archive")
    sortie = _seul(abimee)
    assert sortie.returncode == 1
    assert f"  ✗ Ce fichier n'est pas une archive ZIP lisible : {abimee}." in sortie.stdout
    assert "Archive NON conforme : 1 contrôle(s) en échec" in sortie.stderr


def test_l_archive_est_deterministe_et_sans_donnee_personnelle(election) -> None:
    # A campaign of one bureau and that bureau alone give the same bytes.
    assert election["octets"] == election["seconde"]
    with zipfile.ZipFile(io.BytesIO(election["octets"])) as z:
        assert z.namelist() == sorted(z.namelist())
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        b = election["bureau"]
        assert z.namelist() == sorted(
            [
                "election.json",
                f"ceremonie/{b}.json",
                f"scellement/{b}.json",
                f"urne/{SCRUTIN}.jsonl",
                f"tableau/{SCRUTIN}.json",
                f"depouillement/{SCRUTIN}.json",
            ]
        )
        tout = b"".join(z.read(n) for n in z.namelist())
    # No voter's name (the factory's « Campodifiori »), no e-mail, no émargement line.
    assert b"Campodifiori" not in tout and b"@" not in tout
    assert b"inscription" not in tout and b"emarge_le" not in tout


def test_la_commande_archive_et_le_telechargement_public(
    request, rf, client, bureau, scrutin, tmp_path
) -> None:
    slug = scrutin.campagne.slug
    # Until every count is done there is nothing to publish.
    with pytest.raises(ArchiveImpossible, match="tous ses scrutins"):
        archive_publiee(scrutin.campagne)
    with pytest.raises(Http404):
        views_archive.archive(rf.get("/"), campagne=slug)

    elues = _election(request, tmp_path)
    chemin = tmp_path / "par-la-commande.zip"
    sortie = io.StringIO()
    with horloge.decalee_de(APRES_LA_CLOTURE):
        call_command("archive", slug, "-o", str(chemin), stdout=sortie)
        reponse = views_archive.archive(rf.get("/"), campagne=slug)
        servie = b"".join(reponse.streaming_content)
        index = client.get(f"/resultats/{slug}/").content.decode()
    assert f"Archive écrite : {chemin}" in sortie.getvalue()
    assert reponse["Content-Type"] == "application/zip"
    assert f'filename="archive-{slug}.zip"' in reponse["Content-Disposition"]
    # The same election gives the same bytes, however the archive is asked for.
    assert chemin.read_bytes() == servie == elues["octets"]
    # Every scrutin counted: the index also offers the whole campaign's archive.
    assert f'href="/resultats/{slug}/archive.zip"' in index
    assert f"Empreinte SHA-256 : <code>{hashlib.sha256(servie).hexdigest()}</code>" in index
    assert "Pas encore publié" not in index
    assert verifier_archive(chemin).ok
    with pytest.raises(CommandError, match="Aucune campagne « inconnue »"):
        call_command("archive", "inconnue", "-o", str(chemin))


# --- Tampering, one kind of element at a time ------------------------------------------------


@dataclass
class Archive:
    """The archive's files, to alter one and write the ZIP again."""

    fichiers: dict[str, bytes]
    bureau: str
    chemin: Path
    # Written instead of a ZIP when set.
    brut: bytes | None = None

    def json(self, nom: str) -> Any:
        return json.loads(self.fichiers[nom])

    def ecrire_json(self, nom: str, valeur: object) -> None:
        self.fichiers[nom] = json.dumps(valeur, ensure_ascii=False).encode("utf-8")

    @property
    def ceremonie(self) -> str:
        return f"ceremonie/{self.bureau}.json"

    @property
    def scellement(self) -> str:
        return f"scellement/{self.bureau}.json"

    def lignes(self) -> list[str]:
        return self.fichiers[URNE].decode().splitlines()

    def ecrire_lignes(self, lignes: list[str]) -> None:
        self.fichiers[URNE] = ("\n".join(lignes) + "\n").encode()


URNE = f"urne/{SCRUTIN}.jsonl"
TABLEAU = f"tableau/{SCRUTIN}.json"
DEPOUILLEMENT = f"depouillement/{SCRUTIN}.json"


def _court(hexa: str) -> str:
    return hexa[:16] + "…"


def distribution_alteree(a: Archive) -> str:
    c = a.json(a.ceremonie)
    engagements = c["distributions"][1]["engagements"]
    engagements[0], engagements[1] = engagements[1], engagements[0]
    a.ecrire_json(a.ceremonie, c)
    return (
        f"{a.ceremonie} : la distribution du détenteur 2 ne se vérifie pas (engagements ou "
        "preuve de connaissance faux) ; ce détenteur est écarté de la clé."
    )


def plainte_forgee(a: Archive) -> str:
    c = a.json(a.ceremonie)
    alea = AleaSysteme()
    fausse = Plainte(
        plaignant=1,
        accuse=2,
        secret=base(alea.scalaire()),
        preuve=PreuveEgalite(c=alea.scalaire(), s=alea.scalaire()),
    )
    c["receptions"][0]["plaintes"].append(fausse.vers_dict())
    a.ecrire_json(a.ceremonie, c)
    return (
        f"{a.ceremonie} : la plainte du détenteur 1 contre le détenteur 2 n'est pas fondée (sa "
        "preuve ne se vérifie pas, ou la part visée est bonne) : accusation fausse."
    )


def cle_remplacee(a: Archive) -> str:
    c = a.json(a.ceremonie)
    vraie = c["cle"]["cle_publique"]
    autre = base(AleaSysteme().scalaire()).hex()
    c["cle"]["cle_publique"] = autre
    a.ecrire_json(a.ceremonie, c)
    return (
        f"{a.ceremonie} : la clé publique publiée ({_court(autre)}) n'est pas celle que donnent "
        f"les distributions et les plaintes ({_court(vraie)})."
    )


def contenu_du_scellement_altere(a: Archive) -> str:
    s = a.json(a.scellement)
    s["contenu"]["scrutins"][0]["sieges_titulaires"] = 4
    a.ecrire_json(a.scellement, s)
    vraie = s["empreinte"]
    recalculee = hashlib.sha256(json_canonique(s["contenu"], ascii=False).encode()).hexdigest()
    return (
        f"{a.scellement} : l'empreinte du scellement ({_court(vraie)}) n'est pas le SHA-256 de "
        f"son contenu ({_court(recalculee)}) : le contenu a été modifié."
    )


def signature_du_scellement_alteree(a: Archive) -> str:
    s = a.json(a.scellement)
    signatures = s["signatures"]
    signatures[0]["reponse"] = signatures[1]["reponse"]
    a.ecrire_json(a.scellement, s)
    j = signatures[0]["detenteur"]
    return f"{a.scellement} : la signature du détenteur {j} (président) ne se vérifie pas."


def chiffre_d_un_bulletin_altere(a: Archive) -> str:
    lignes = a.lignes()
    bulletin = json.loads(lignes[1])
    choix = bulletin["choix"]
    choix[1]["beta"], choix[2]["beta"] = choix[2]["beta"], choix[1]["beta"]
    lignes[1] = json_canonique(bulletin, ascii=True)
    a.ecrire_lignes(lignes)
    return (
        f"{URNE}, ligne 2 (traceur {traceur(lignes[1])}) : bulletin invalide, une preuve « 0 ou "
        "1 » ne se vérifie pas (preuve_choix)."
    )


def bulletin_retire(a: Archive) -> str:
    lignes = a.lignes()
    del lignes[3]
    a.ecrire_lignes(lignes)
    return f"{URNE} : l'urne contient 7 bulletins, la clôture en a compté 8."


def bulletin_en_double(a: Archive) -> str:
    lignes = a.lignes()
    lignes.insert(3, lignes[2])
    a.ecrire_lignes(lignes)
    return (
        f"{URNE}, ligne 4 : le bulletin de traceur {traceur(lignes[2])} figure déjà ligne 3 "
        "(bulletin en double)."
    )


def bulletin_ajoute(a: Archive) -> str:
    lignes = a.lignes()
    manifeste = lire_manifeste(json.loads(lignes[0])["manifeste"])
    lignes.append(creer_bulletin(manifeste, 1, AleaSysteme()))
    lignes[1:] = sorted(lignes[1:], key=traceur)
    a.ecrire_lignes(lignes)
    return f"{URNE} : l'urne contient 9 bulletins, la clôture en a compté 8."


def empreinte_de_cloture_alteree(a: Archive) -> str:
    t = a.json(TABLEAU)
    t["cloture"]["empreinte_urne"] = "0" * 64
    a.ecrire_json(TABLEAU, t)
    traceurs = [traceur(ligne) for ligne in a.lignes()[1:]]
    return (
        f"{TABLEAU} : l'empreinte du tableau recalculée sur les traceurs de l'urne "
        f"({_court(tableau.empreinte_tableau(SCRUTIN, traceurs))}) n'est pas l'empreinte "
        f"d'urne de la clôture ({_court('0' * 64)})."
    )


def somme_alteree(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    d["sommes"][1], d["sommes"][3] = d["sommes"][3], d["sommes"][1]
    a.ecrire_json(DEPOUILLEMENT, d)
    return (
        f"{DEPOUILLEMENT} : la somme chiffrée du choix 1 (FSU) n'est pas celle des bulletins de "
        "l'urne."
    )


def preuve_d_une_part_alteree(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    facteurs = d["parts"][1]["facteurs"]
    facteurs[0]["preuve"], facteurs[1]["preuve"] = facteurs[1]["preuve"], facteurs[0]["preuve"]
    a.ecrire_json(DEPOUILLEMENT, d)
    j = d["parts"][1]["detenteur"]
    return (
        f"{DEPOUILLEMENT} : la part de déchiffrement du détenteur {j} ne se vérifie pas (preuve "
        "de déchiffrement fausse)."
    )


def part_retiree(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    d["parts"].pop()
    a.ecrire_json(DEPOUILLEMENT, d)
    return (
        f"{DEPOUILLEMENT} : 2 parts de déchiffrement valides, il en faut 3 (le seuil du bureau) "
        ": le résultat ne peut pas être recalculé."
    )


def voix_alterees(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    d["resultat"]["listes"][0]["voix"] += 1
    d["resultat"]["listes"][2]["voix"] -= 1
    a.ecrire_json(DEPOUILLEMENT, d)
    return (
        f"{DEPOUILLEMENT} : résultat non conforme, liste FSU : 4 voix publiées, le déchiffrement "
        "en donne 3."
    )


def sieges_alteres(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    d["resultat"]["listes"][2]["sieges"] = 1
    a.ecrire_json(DEPOUILLEMENT, d)
    return (
        f"{DEPOUILLEMENT} : résultat non conforme, liste FO : 1 siège(s) publié(s), 0 recalculé(s)."
    )


def graine_alteree(a: Archive) -> str:
    d = a.json(DEPOUILLEMENT)
    vraie = d["graine"]
    d["graine"] = "ab" * 32
    a.ecrire_json(DEPOUILLEMENT, d)
    return (
        f"{DEPOUILLEMENT} : la graine du tirage au sort publiée ({_court('ab' * 32)}) n'est pas "
        f"celle que donnent l'empreinte de la clé et les sommes ({_court(vraie)})."
    )


def fichier_manquant(a: Archive) -> str:
    del a.fichiers[TABLEAU]
    return f"Fichier manquant : {TABLEAU}."


def fichier_qui_n_est_pas_du_json(a: Archive) -> str:
    a.fichiers[DEPOUILLEMENT] = b'{"scrutin": csa-men}'
    return f"{DEPOUILLEMENT} n'est pas du JSON valide (ligne 1, colonne 13)."


def pas_une_archive_zip(a: Archive) -> str:
    a.brut = b"ceci n'est pas une archive"
    return f"Ce fichier n'est pas une archive ZIP lisible : {a.chemin}."


ALTERATIONS: list[Callable[[Archive], str]] = [
    distribution_alteree,
    plainte_forgee,
    cle_remplacee,
    contenu_du_scellement_altere,
    signature_du_scellement_alteree,
    chiffre_d_un_bulletin_altere,
    bulletin_retire,
    bulletin_en_double,
    bulletin_ajoute,
    empreinte_de_cloture_alteree,
    somme_alteree,
    preuve_d_une_part_alteree,
    part_retiree,
    voix_alterees,
    sieges_alteres,
    graine_alteree,
    fichier_manquant,
    fichier_qui_n_est_pas_du_json,
    pas_une_archive_zip,
]


def _verifier_par_la_commande(chemin: Path, django_db_blocker: Any) -> tuple[str, str]:
    """``isoloir verify`` in this process with every database access forbidden: exit code
    1 (CommandError) and its output."""
    sortie = io.StringIO()
    with django_db_blocker.block(), pytest.raises(CommandError) as erreur:
        call_command("verify", str(chemin), stdout=sortie)
    assert erreur.value.returncode == 1
    return sortie.getvalue(), str(erreur.value)


@pytest.mark.parametrize("alterer", ALTERATIONS, ids=lambda f: f.__name__)
def test_une_archive_alteree_dit_ce_qui_ne_va_pas(
    alterer: Callable[[Archive], str], election, tmp_path, django_db_blocker
) -> None:
    chemin = tmp_path / "alteree.zip"
    with zipfile.ZipFile(io.BytesIO(election["octets"])) as z:
        a = Archive({n: z.read(n) for n in z.namelist()}, election["bureau"], chemin)
    attendu = alterer(a)
    if a.brut is not None:
        chemin.write_bytes(a.brut)
    else:
        with zipfile.ZipFile(chemin, "w") as z:
            for nom, contenu in a.fichiers.items():
                z.writestr(nom, contenu)

    with django_db_blocker.block():
        rapport = verifier_archive(chemin)
    assert not rapport.ok
    assert attendu in rapport.messages(echecs_seulement=True), "\n".join(
        rapport.messages(echecs_seulement=True)
    )
    sortie, resume = _verifier_par_la_commande(chemin, django_db_blocker)
    assert f"  ✗ {attendu}" in sortie
    assert resume.startswith("Archive NON conforme :")


def test_la_commande_sans_base_sort_en_erreur(tmp_path, django_db_blocker) -> None:
    chemin = tmp_path / "archive.zip"
    chemin.write_bytes(b"ceci n'est pas une archive")
    with django_db_blocker.block():
        rapport = verifier_archive(chemin)
    assert rapport.messages() == [f"Ce fichier n'est pas une archive ZIP lisible : {chemin}."]
    sortie = _sans_base(chemin)
    assert sortie.returncode == 1
    assert f"  ✗ Ce fichier n'est pas une archive ZIP lisible : {chemin}." in sortie.stdout
    assert "Archive NON conforme : 1 contrôle(s) en échec" in sortie.stderr


def test_le_verificateur_n_importe_pas_django() -> None:
    sortie = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, isoloir.verification, isoloir.verification.__main__; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert sortie.stdout.strip() == "[]"
