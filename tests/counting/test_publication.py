"""What a campaign publishes, bureau by bureau (issue 12, item 9).

A campaign like the demo's: one scrutin counted by its bureau de vote, another voting with
a development key and no bureau, which can never be counted. The bureau's archive must
not wait for that other scrutin: it is served at a stable address as soon as the bureau's
own results are computed, written by ``isoloir archive --bureau``, and re-verified by
``isoloir verify``; ``/resultats/<campagne>/`` lists what is published and says what is
not, and why."""

import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from isoloir.booth import cles
from isoloir.core import horloge
from isoloir.counting.management.commands.archive import Command as CommandeArchive
from isoloir.counting.models import BureauDeVote
from isoloir.elections.models import Scrutin
from isoloir.verification import verifier_archive
from tests.attente import PLAFOND
from tests.counting.resultats import APRES_LA_CLOTURE, depouiller
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)

# Blank, FSU ×2, UNSA, FO.
CHOIX = [0, 1, 1, 2, 3]


@pytest.fixture
def sans_bureau(scrutin, creer_scrutin, creer_liste) -> Scrutin:
    """A CAP of the same campaign voting with a development key: no bureau counts it."""
    cap = creer_scrutin(scrutin.campagne, code="cap-certifies", intitule="CAP des certifiés")
    creer_liste(cap, ordre=1, sigle="SNES", denomination="SNES-FSU")
    assert cles.ceremonie_de_developpement(scrutin.campagne) == [cap]
    return cap


def _compter(bureau: BureauDeVote, scrutin: Scrutin, creer_electeur) -> None:
    d = depouiller(bureau, scrutin, creer_electeur, CHOIX)
    assert d.resultat is not None


def _adresse_de_l_archive(bureau: BureauDeVote) -> str:
    return f"/resultats/{bureau.campagne.slug}/bureau-{bureau.pk}/archive.zip"


def _texte(html: bytes) -> str:
    """The page's words, tags dropped and spaces joined, as a reader hears them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_rien_n_est_publie_avant_le_depouillement(client, bureau, scrutin, sans_bureau) -> None:
    slug = scrutin.campagne.slug
    reponse = client.get(f"/resultats/{slug}/")
    assert reponse.status_code == 200
    texte = _texte(reponse.content)
    assert f"Résultats publiés — {scrutin.campagne.nom}" in texte
    assert "Aucun résultat n'est encore publié." in texte
    # Each scrutin says why it has nothing yet: the vote is still open, or no bureau.
    assert "CSA ministériel : le vote est en cours ; il se termine le" in texte
    assert (
        "CAP des certifiés : aucun bureau de vote ne dépouille ce scrutin, il n'aura ni "
        "résultat ni archive publique" in texte
    )
    assert "clé de développement" in texte
    assert (
        f"{bureau.nom} Scrutin dépouillé par ce bureau : CSA ministériel. Archive publiée "
        "quand les résultats de ses scrutins seront calculés (en attente : CSA ministériel)."
    ) in texte
    assert client.get(_adresse_de_l_archive(bureau)).status_code == 404
    assert client.get("/resultats/inconnue/").status_code == 404


def test_l_archive_du_bureau_est_publiee_sans_attendre_les_scrutins_sans_bureau(
    client, bureau, scrutin, sans_bureau, creer_electeur, tmp_path
) -> None:
    _compter(bureau, scrutin, creer_electeur)
    slug = scrutin.campagne.slug
    with horloge.decalee_de(APRES_LA_CLOTURE):
        reponse = client.get(_adresse_de_l_archive(bureau))
        assert reponse.status_code == 200
        servie = b"".join(reponse.streaming_content)
        # The whole campaign's archive waits for every scrutin, which never comes here.
        assert client.get(f"/resultats/{slug}/archive.zip").status_code == 404
        index = client.get(f"/resultats/{slug}/")
    # The scrutin's results lead to this index.
    resultats = client.get(reverse("counting:resultats", args=[slug, "csa-men"]))
    assert f'href="/resultats/{slug}/"' in resultats.content.decode()
    assert reponse["Content-Type"] == "application/zip"
    assert f'filename="archive-{slug}-bureau-{bureau.pk}.zip"' in reponse["Content-Disposition"]

    # The bureau's archive holds its scrutin alone, and re-verifies.
    with zipfile.ZipFile(io.BytesIO(servie)) as z:
        assert "urne/csa-men.jsonl" in z.namelist()
        assert not any("cap-certifies" in nom for nom in z.namelist())
    chemin = tmp_path / "bureau.zip"
    chemin.write_bytes(servie)
    rapport = verifier_archive(chemin)
    assert rapport.ok, rapport.messages(echecs_seulement=True)

    # The index links the result and the archive, with the archive's SHA-256.
    assert index.status_code == 200
    html = index.content.decode()
    assert f'href="{reverse("counting:resultats", args=[slug, "csa-men"])}"' in html
    assert f'href="{_adresse_de_l_archive(bureau)}"' in html
    empreinte = hashlib.sha256(servie).hexdigest()
    texte = _texte(index.content)
    assert f"SHA-256 : {empreinte}" in texte
    assert "isoloir verify" in texte
    assert "CAP des certifiés : aucun bureau de vote ne dépouille ce scrutin" in texte
    assert "L'archive de toute la campagne n'est pas publiée" in texte
    assert "quand les résultats de tous ses scrutins sont calculés (aujourd'hui, 1 sur 2)" in texte

    # Asked again, the same file: built once, its fingerprint unchanged.
    with horloge.decalee_de(APRES_LA_CLOTURE):
        encore = b"".join(client.get(_adresse_de_l_archive(bureau)).streaming_content)
    assert encore == servie


def test_la_commande_ecrit_l_archive_d_un_bureau(
    bureau, scrutin, sans_bureau, creer_electeur, tmp_path
) -> None:
    _compter(bureau, scrutin, creer_electeur)
    slug = scrutin.campagne.slug
    par_nom, par_numero = tmp_path / "par-nom.zip", tmp_path / "par-numero.zip"
    sortie = io.StringIO()
    with horloge.decalee_de(APRES_LA_CLOTURE):
        call_command("archive", slug, "--bureau", bureau.nom, "-o", str(par_nom), stdout=sortie)
        call_command("archive", slug, "--bureau", str(bureau.pk), "-o", str(par_numero))
        # Without --bureau, the campaign's archive is refused, and the way out is given.
        with pytest.raises(CommandError) as refus:
            call_command("archive", slug, "-o", str(tmp_path / "campagne.zip"))
        with pytest.raises(CommandError, match="Aucun bureau « BV inconnu » dans cette"):
            call_command("archive", slug, "--bureau", "BV inconnu", "-o", str(par_nom))
    empreinte = hashlib.sha256(par_nom.read_bytes()).hexdigest()
    assert f"SHA-256 {empreinte}" in sortie.getvalue()
    assert par_nom.read_bytes() == par_numero.read_bytes()
    assert verifier_archive(par_nom).ok
    assert "cap-certifies" in str(refus.value)
    assert f"(--bureau NOM ou NUMÉRO) : « {bureau.nom} » (n° {bureau.pk})" in str(refus.value)
    assert not (tmp_path / "campagne.zip").exists()


def test_l_aide_de_la_commande_nomme_les_bureaux(bureau) -> None:
    aide = CommandeArchive().create_parser("isoloir", "archive").format_help()
    assert f"n° {bureau.pk} « {bureau.nom} »" in aide
    assert bureau.campagne.slug in aide


def _aide_dans_un_processus(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "isoloir.cli", "archive", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "CACHE_URL": "locmemcache://", **env},
        timeout=PLAFOND,
        check=False,
    )


@pytest.mark.django_db(databases=[])
def test_l_aide_de_la_commande_sans_base_prete(tmp_path: Path) -> None:
    # A database that does not answer, then one never migrated: the help still prints.
    absente = "postgres://postgres@127.0.0.1:9/absente"
    vide = f"sqlite:///{tmp_path / 'vide.sqlite3'}"
    for base in (absente, vide):
        sortie = _aide_dans_un_processus(DATABASE_URL=base, URNE_DATABASE_URL=base)
        assert sortie.returncode == 0, sortie.stderr
        assert "--bureau" in sortie.stdout
        assert "liste des bureaux de vote n'est pas disponible" in sortie.stdout
        assert "Traceback" not in sortie.stderr
