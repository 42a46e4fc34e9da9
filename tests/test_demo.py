"""The demo: its loader, the ``demo`` command, and ``isoloir serve`` as real processes."""

import base64
import io
import json
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta
from pathlib import Path
from subprocess import Popen
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from pytest_django import Settings

from isoloir.accounts import numen, question_defi
from isoloir.accounts import services as comptes
from isoloir.accounts.models import Compte, Electeur
from isoloir.accounts.second_facteur import a_un_appareil_confirme
from isoloir.core import horloge
from isoloir.core.horloge import en_jours_calendaires
from isoloir.demo.chargement import (
    ADMIN_EMAIL,
    ASSISTANCE_EMAIL,
    SLUG,
    IdentifiantsDemo,
    charger_campagne_demo,
)
from isoloir.demo.management.commands.demo import lire_duree
from isoloir.demo.management.commands.serve import verifier_port_libre
from isoloir.elections import calendrier
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin
from isoloir.gestion.roles import RoleDeGestion, roles_du_compte
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.votecode import code
from tests.attente import PLAFOND, attendre
from tests.franceconnect.pair import installer


def _charger(ouverture_dans: timedelta = timedelta(0)) -> IdentifiantsDemo:
    return charger_campagne_demo(maintenant=horloge.maintenant(), ouverture_dans=ouverture_dans)


def _jeton(lien: str) -> str:
    return parse_qs(urlsplit(lien).query)["token"][0]


@pytest.fixture
def hachage_rapide(settings: Settings) -> None:
    # A load hashes about ten secrets with Argon2 (0.1 to 0.2 s each); these tests are
    # about the data, and the credentials test keeps the real hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The loader --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("hachage_rapide")
def test_les_commandes_du_readme_menent_apres_la_cloture() -> None:
    """Issue 12, item 8: the README's demo (its own words, read here) opens the vote, and
    its clock advance then finds every scrutin closed, so that the bureau can count. The
    ceremony and the count themselves are tests/e2e/test_bureau.py's."""
    from isoloir.elections.selectors import Phase, fenetre_du_scrutin

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    demo = re.search(r"isoloir demo --opens-in (\S+) --lasts (\S+)`", readme)
    avance = re.search(r"ISOLOIR_HORLOGE_AVANCE=(\S+) \.venv/bin/isoloir serve", readme)
    assert demo and avance, "le README ne donne plus ces commandes"
    charger_campagne_demo(
        maintenant=horloge.maintenant(),
        ouverture_dans=lire_duree(demo[1]),
        duree_du_vote=lire_duree(demo[2]),
    )
    scrutins = list(Scrutin.objects.select_related("campagne"))
    assert all(fenetre_du_scrutin(s).phase() is Phase.A_VENIR for s in scrutins)
    with horloge.decalee_de(lire_duree(avance[1])):
        assert all(fenetre_du_scrutin(s).phase() is Phase.CLOS for s in scrutins)


@pytest.mark.django_db(databases=["default", "urne"])
@pytest.mark.usefixtures("hachage_rapide")
def test_le_chemin_du_readme_mene_a_l_archive_du_bureau_verifiee(client, tmp_path: Path) -> None:
    """Issue 12, item 9: the README's demo, once its bureau has counted the CSA (the key
    holders' devices played as in tests/counting), publishes that bureau's archive on the
    README's page and writes it with the README's command, though the demo's other
    scrutins, on development keys, are never counted; ``isoloir verify`` accepts it."""
    import hashlib
    import shlex

    from isoloir.booth import depot
    from isoloir.booth.cles import ceremonie_de_developpement
    from isoloir.counting.management.commands.archive import Command as CommandeArchive
    from isoloir.demo.bureau import charger_bureau_demo
    from isoloir.verification import verifier_archive
    from tests.counting.detenteurs import ceremonie_complete, sceller
    from tests.counting.resultats import compter
    from tests.scrutin_de_vote import bulletin_pour

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    demo = re.search(r"isoloir demo --opens-in (\S+) --lasts (\S+)`", readme)
    avance = re.search(r"ISOLOIR_HORLOGE_AVANCE=(\S+) \.venv/bin/isoloir serve", readme)
    page = re.search(r"http://127\.0\.0\.1:8000(/resultats/\S+/)\s", readme)
    archive = re.search(r"`\.venv/bin/isoloir (archive [^`]+)`", readme)
    verify = re.search(r"`\.venv/bin/isoloir verify (\S+)`", readme)
    assert demo and avance and page and archive and verify, "le README ne donne plus ces étapes"
    ouverture = lire_duree(demo[1])
    charger_campagne_demo(
        maintenant=horloge.maintenant(), ouverture_dans=ouverture, duree_du_vote=lire_duree(demo[2])
    )
    # What ``isoloir demo`` does next: the CSA's bureau, development keys for the rest.
    campagne = Campagne.objects.get(slug=SLUG)
    scrutin = campagne.scrutins.get(code="csa-men")
    charger_bureau_demo(campagne, scrutin)
    assert ceremonie_de_developpement(campagne)
    bureau = scrutin.rattachement_au_bureau.bureau

    # The bureau's life: ceremony, seal, three votes, closing and count.
    c, appareils = ceremonie_complete(bureau)
    delegue = next(nom for nom in sorted(appareils) if nom.startswith("delegue-"))
    assert sceller(bureau, c, appareils, signataires=("president", delegue)).scelle_le
    with horloge.decalee_de(ouverture + timedelta(minutes=1)):
        for k, inscription in enumerate(scrutin.inscriptions.select_related("electeur")[:3]):
            depot.voter(
                electeur=inscription.electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, k)
            )
    assert compter(bureau, scrutin, c, appareils, presents=tuple(appareils)).resultat

    # The README's page and command, with the README's clock advance.
    arguments = shlex.split(archive[1])
    sortie = arguments.index("-o") + 1
    arguments[sortie] = str(tmp_path / arguments[sortie])
    with horloge.decalee_de(lire_duree(avance[1])):
        index = client.get(page[1])
        assert index.status_code == 200
        lien = re.search(
            r'href="(/resultats/[^"]+/bureau-\d+/archive\.zip)"', index.content.decode()
        )
        assert lien, "la page des résultats publiés ne donne pas l'archive du bureau"
        servie = b"".join(client.get(lien[1]).streaming_content)
        call_command(*arguments, stdout=io.StringIO())
    ecrite = tmp_path / verify[1]
    assert ecrite.read_bytes() == servie
    rapport = verifier_archive(ecrite)
    assert rapport.ok, rapport.messages(echecs_seulement=True)
    texte = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", index.content.decode()))
    assert f"SHA-256 : {hashlib.sha256(servie).hexdigest()}" in texte
    assert "aucun bureau de vote ne dépouille ce scrutin" in texte
    assert "clé de développement" in texte
    # The README's bureau, by the name that ``isoloir archive --help`` gives.
    nom = arguments[arguments.index("--bureau") + 1]
    assert nom == bureau.nom
    assert f"« {nom} »" in CommandeArchive().create_parser("isoloir", "archive").format_help()


@pytest.mark.django_db
@pytest.mark.usefixtures("hachage_rapide")
@pytest.mark.calendrier  # its 8 days once crossed a change of time badly
def test_la_campagne_de_demonstration_est_complete() -> None:
    avant = horloge.maintenant()
    _charger(ouverture_dans=timedelta(hours=2))

    campagne = Campagne.objects.get(slug=SLUG)
    assert campagne.nom == "Élections professionnelles 2026"
    attendu = (avant + timedelta(hours=2)).astimezone(UTC).replace(second=0, microsecond=0)
    assert abs(campagne.ouverture - attendu) <= timedelta(minutes=1)
    # 8 days of Paris's calendar: 191 or 193 hours when the time changes meanwhile.
    assert campagne.cloture == en_jours_calendaires(campagne.ouverture, timedelta(days=8))
    campagne.full_clean()

    scrutins = Scrutin.objects.filter(campagne=campagne)
    assert scrutins.count() == 6
    assert sorted(scrutins.values_list("type", flat=True)) == ["CAP"] * 3 + ["CSA"] * 3
    for scrutin in scrutins:
        listes = list(scrutin.listes.all())
        assert 4 <= len(listes) <= 6
        assert sorted(liste.ordre for liste in listes) == list(range(1, len(listes) + 1))
        for liste in listes:
            rangs = list(liste.candidats.values_list("rang", flat=True))
            sieges = scrutin.sieges_titulaires + scrutin.sieges_suppleants
            assert rangs == list(range(1, sieges + 1))
            with liste.profession_de_foi.open("rb") as pdf:
                assert pdf.read(5) == b"%PDF-"
    assert ListeCandidats.objects.exclude(union="").exists()

    assert Electeur.objects.count() == 200
    assert Electeur.objects.filter(active_le__isnull=False).count() == 100
    emails = list(Compte.objects.filter(electeur__isnull=False).values_list("email", flat=True))
    assert all(re.fullmatch(r"[a-z0-9.-]+@ac-(lyon|bordeaux)\.fr", e) for e in emails)
    # Each voter: the ministerial CSA, the CSA of their académie and one CAP.
    par_electeur = Inscription.objects.values("electeur").annotate(n=Count("pk"))
    assert {ligne["n"] for ligne in par_electeur} == {3}
    assert Inscription.objects.filter(scrutin__code="csa-men").count() == 200
    assert Inscription.objects.filter(scrutin__type="CAP").count() == 200
    for electeur in Electeur.objects.prefetch_related("inscriptions__scrutin")[:50]:
        codes = {i.scrutin.code for i in electeur.inscriptions.all()}
        academie = electeur.compte.email.split("@ac-")[1].removesuffix(".fr")
        assert {"csa-men", f"csa-ac-{academie}"} < codes
        electeur.full_clean()

    admin = Compte.objects.get(email=ADMIN_EMAIL)
    assert admin.is_superuser and admin.is_staff
    assert roles_du_compte(admin) == {RoleDeGestion.ADMINISTRATION}
    assistance = Compte.objects.get(email=ASSISTANCE_EMAIL)
    assert roles_du_compte(assistance) == {RoleDeGestion.ASSISTANCE}
    assert not assistance.is_superuser
    for compte in (admin, assistance):
        assert a_un_appareil_confirme(compte)
    campagne = Campagne.objects.get()
    campagne.full_clean()  # its calendar too: rolls published, claims closed before the vote
    assert calendrier.consultation_ouverte(campagne)


@pytest.mark.django_db
@pytest.mark.usefixtures("hachage_rapide")
def test_le_chargement_enregistre_la_marque_du_ministere(settings: Settings) -> None:
    """Issue 12, point 17: the demo's administration is stored with its campaign, so that
    every later process shows it, ``isoloir serve`` included, with no variable set."""
    from isoloir.core.presentation import marque_du_portail

    settings.ISOLOIR_MARQUE = "République|française"
    _charger()
    assert marque_du_portail() == ("Ministère", "de l'Éducation", "nationale")


@pytest.mark.django_db
@pytest.mark.usefixtures("hachage_rapide")
def test_recharger_ne_cree_aucun_doublon_et_remet_la_vitrine_en_etat() -> None:
    premiere = _charger()
    comptes_avant = Compte.objects.count()
    fichiers = sorted(ListeCandidats.objects.values_list("profession_de_foi", flat=True))
    # What a visitor of the first demo may have done: change a password, activate.
    active, a_activer = premiere.electeurs[0], premiere.electeurs[-1]
    compte = Compte.objects.get(email=active.email)
    compte.set_password("Autre-mot-de-passe-2026")
    compte.save()
    Electeur.objects.filter(compte__email=a_activer.email).update(active_le=horloge.maintenant())

    seconde = _charger(ouverture_dans=timedelta(days=3))

    assert Campagne.objects.filter(slug=SLUG).count() == 1
    assert Scrutin.objects.count() == 6
    assert ListeCandidats.objects.count() == sum(
        len(s.listes.all()) for s in Scrutin.objects.prefetch_related("listes")
    )
    assert Electeur.objects.count() == 200
    assert Compte.objects.count() == comptes_avant
    assert Inscription.objects.count() == 600
    assert Candidat.objects.filter(liste__scrutin__code="csa-men").count() == 6 * 30
    assert sorted(ListeCandidats.objects.values_list("profession_de_foi", flat=True)) == fichiers
    assert seconde.ouverture - premiere.ouverture >= timedelta(days=3) - timedelta(minutes=1)
    assert [e.numen for e in seconde.electeurs] == [e.numen for e in premiere.electeurs]
    assert authenticate(username=active.email, password=active.mot_de_passe) is not None
    assert not Electeur.objects.get(compte__email=a_activer.email).est_active


@pytest.mark.django_db
def test_les_identifiants_de_la_vitrine_fonctionnent(settings: Settings) -> None:
    identifiants = _charger()

    assert len(identifiants.electeurs) == 6
    actives = [e for e in identifiants.electeurs if e.active]
    a_activer = [e for e in identifiants.electeurs if not e.active]
    assert (len(actives), len(a_activer)) == (4, 2)
    for vitrine in identifiants.electeurs:
        electeur = Electeur.objects.select_related("compte").get(compte__email=vitrine.email)
        assert numen.valider(vitrine.numen) == vitrine.numen
        assert numen.correspond(vitrine.numen, electeur.numen_empreinte)
        assert len(vitrine.scrutins) == 3
        assert vitrine.code_de_vote is not None
        assert code.verifier(vitrine.code_de_vote, electeur.code_de_vote.empreinte)
    for vitrine in actives:
        electeur = Electeur.objects.select_related("compte").get(compte__email=vitrine.email)
        assert vitrine.mot_de_passe and len(vitrine.mot_de_passe) >= 12
        validate_password(vitrine.mot_de_passe, electeur.compte)
        assert authenticate(username=vitrine.email, password=vitrine.mot_de_passe) is not None
        assert vitrine.question_defi == question_defi.LIBELLES[electeur.question_defi]
        assert question_defi.verifier(vitrine.reponse_defi or "", electeur.reponse_defi_empreinte)
        assert vitrine.lien_activation is None
    for vitrine in a_activer:
        assert vitrine.mot_de_passe is None and vitrine.lien_activation
        assert vitrine.lien_activation.startswith(
            f"{settings.ISOLOIR_BASE_URL}/portail/activation?token="
        )
        lien = liens.consulter(usage=Usage.ACTIVATION, jeton=_jeton(vitrine.lien_activation))
        assert lien.compte.email == vitrine.email
        assert lien.expire_le - lien.cree_le == timedelta(days=7)

    # The link does what it says: the account can be activated with it.
    vitrine = a_activer[0]
    comptes.activer_compte(
        jeton=_jeton(vitrine.lien_activation or ""),
        mot_de_passe="Parapluie-Violet-Sable-31",
        question="metier",
        reponse="Astronaute",
    )
    assert authenticate(username=vitrine.email, password="Parapluie-Violet-Sable-31")


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("0", timedelta(0)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("3j", timedelta(days=3)),
        ("1h30m", timedelta(hours=1, minutes=30)),
    ],
)
def test_lire_une_duree(texte: str, attendu: timedelta) -> None:
    assert lire_duree(texte) == attendu


@pytest.mark.parametrize("texte", ["", "2", "2x", "-1h", "h", "2 h 30"])
def test_une_duree_illisible_est_refusee(texte: str) -> None:
    with pytest.raises(CommandError, match="illisible"):
        lire_duree(texte)


@pytest.mark.django_db(databases=["default", "urne"])
@pytest.mark.usefixtures("hachage_rapide")
def test_la_commande_demo_ecrit_les_identifiants(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ISOLOIR_BASE_URL", raising=False)
    settings.DATA_DIR = tmp_path
    sortie = io.StringIO()

    call_command("demo", "--no-serve", "--port", "8765", "--opens-in", "1h", stdout=sortie)

    fichier = tmp_path / "demo-credentials.json"
    assert stat.S_IMODE(fichier.stat().st_mode) == 0o600
    donnees = json.loads(fichier.read_text(encoding="utf-8"))
    assert donnees["portail"] == "http://127.0.0.1:8765/portail/"
    assert donnees["admin_email"] == ADMIN_EMAIL
    assert len(donnees["electeurs"]) == 6
    texte = sortie.getvalue()
    assert "http://127.0.0.1:8765/portail/" in texte
    assert donnees["admin_mot_de_passe"] in texte
    for cle in ("admin_secret_totp", "assistance_mot_de_passe", "assistance_secret_totp"):
        assert donnees[cle] in texte
    for electeur in donnees["electeurs"]:
        assert electeur["email"] in texte and electeur["numen"] in texte
        assert "code_de_vote" in electeur
        if electeur["lien_activation"]:
            assert electeur["lien_activation"].startswith("http://127.0.0.1:8765/portail/")
            assert electeur["lien_activation"] in texte
    # Every scrutin but the ministerial CSA can receive ballots at once, under a
    # development key whose private half is a file of the data folder that only its owner
    # reads. The CSA's key is its bureau's to make.
    from isoloir.booth.models import CleDeScrutin
    from isoloir.elections.models import Scrutin

    assert "Clés de DÉVELOPPEMENT posées sur 5 scrutin(s)" in texte
    assert "Démonstration rechargée" not in texte
    assert set(CleDeScrutin.objects.values_list("origine", flat=True)) == {"developpement"}
    assert CleDeScrutin.objects.count() == Scrutin.objects.count() - 1 == 5
    assert not CleDeScrutin.objects.filter(scrutin__code="csa-men").exists()
    fichiers = list((tmp_path / "cles-developpement").glob("*/*.json"))
    assert len(fichiers) == 5
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in fichiers)

    # The CSA's bureau: président, secrétaire, a délégué per list, three key holders, a
    # lawful composition, each member's second factor set to the secret printed for them.
    from django_otp.oath import totp

    from isoloir.accounts.models import AppareilTOTP
    from isoloir.counting.models import BureauDeVote
    from isoloir.counting.services import problemes_de_composition

    bureau = BureauDeVote.objects.get(rattachements__scrutin__code="csa-men")
    assert problemes_de_composition(bureau) == []
    membres = donnees["membres_du_bureau"]
    listes = bureau.rattachements.get().scrutin.listes.count()
    assert len(membres) == bureau.membres.count() == 2 + listes
    assert sum(m["detenteur_de_cle"] for m in membres) == 3
    assert donnees["bureau_de_vote"] == "http://127.0.0.1:8765/bureau/"
    for membre in membres:
        assert membre["email"] in texte and membre["secret_totp"] in texte
        assert "@" in membre["email"] and " " not in membre["email"]
        appareil = AppareilTOTP.objects.get(user__email=membre["email"], confirmed=True)
        cle = base64.b32decode(membre["secret_totp"])
        assert totp(cle) == totp(appareil.bin_key)
    # Loading it again starts the bureau's life over, with no duplicate, even after an
    # earlier run went as far as sealing (which nothing else may undo).
    from django.db import transaction

    from isoloir.counting.models import Scellement
    from isoloir.counting.signals import ScrutinScelle

    Scellement.objects.create(
        bureau=bureau,
        contenu={},
        empreinte="0" * 64,
        propose_le=horloge.maintenant(),
        scelle_le=horloge.maintenant(),
    )
    with pytest.raises(ScrutinScelle), transaction.atomic():
        bureau.membres.first().delete()
    assert "restera fermé" not in texte
    sortie = io.StringIO()
    call_command("demo", "--no-serve", "--port", "8765", "--opens-in", "0", stdout=sortie)
    assert BureauDeVote.objects.count() == 1
    assert not Scellement.objects.exists()
    # Opening at once leaves the bureau no time to make its key: the demo says so.
    assert "le CSA ministériel restera fermé à ses électeurs" in sortie.getvalue()
    assert "isoloir demo --opens-in 20m" in sortie.getvalue()
    # Run again: the codes and TOTP secrets printed are new, and the banner says so
    # (issue 12, item 18).
    sortie = io.StringIO()
    call_command("demo", "--no-serve", "--port", "8765", "--opens-in", "1h", stdout=sortie)
    assert "Démonstration rechargée : nouveaux codes de vote et nouveaux secrets TOTP" in (
        sortie.getvalue()
    )
    nouvelles = json.loads(fichier.read_text(encoding="utf-8"))
    assert nouvelles["admin_secret_totp"] != donnees["admin_secret_totp"]


# --- isoloir serve, as real processes ----------------------------------------------------

# Variables the test run sets for itself (a shared database, an in-memory cache…) that
# must not leak into a demo that stands on its own data folder.
VARIABLES_DE_TEST = {
    "DATABASE_URL",
    "URNE_DATABASE_URL",
    "CACHE_URL",
    "ISOLOIR_TASKS_BACKEND",
    "ISOLOIR_SMTP_URL",
    "ISOLOIR_BASE_URL",
    "ISOLOIR_TESTING",
    "DJANGO_SETTINGS_MODULE",
}
ISOLOIR = [sys.executable, "-m", "isoloir.cli"]
Serveur = tuple[subprocess.Popen[bytes], int, Path]


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _descendants(racine: int) -> set[int]:
    parents: dict[int, int] = {}
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                etat = (entree / "stat").read_text()
            except OSError:
                continue
            # The name between parentheses may hold spaces: fields start after the last ')'.
            parents[int(entree.name)] = int(etat.rsplit(")", 1)[1].split()[1])
    trouves: set[int] = set()
    a_voir = [racine]
    while a_voir:
        pid = a_voir.pop()
        enfants = {p for p, parent in parents.items() if parent == pid}
        trouves |= enfants
        a_voir += enfants
    return trouves


def _attendre_disparition(pids: set[int], plafond: float = PLAFOND) -> set[int]:
    """The processes of ``pids`` still alive once they all ended, or at the ceiling."""

    def vivants() -> set[int]:
        return {p for p in pids if Path(f"/proc/{p}").exists()}

    try:
        attendre(lambda: not vivants(), quoi="La fin des processus", plafond=plafond)
    except AssertionError:
        return vivants()
    return set()


def _lire(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=PLAFOND) as reponse:  # noqa: S310 - loopback http
        return reponse.status, reponse.headers.get("Content-Type", ""), reponse.read()


@pytest.fixture(scope="module")
def environnement_demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A data folder migrated and loaded by ``isoloir demo --no-serve``, run for real."""
    dossier = tmp_path_factory.mktemp("demo")
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES_DE_TEST}
    env["ISOLOIR_DATA_DIR"] = str(dossier)
    resultat = subprocess.run(
        [*ISOLOIR, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=PLAFOND
    )
    assert resultat.returncode == 0, resultat.stderr
    assert (dossier / "demo-credentials.json").exists()
    return env


@contextmanager
def _lance(commande: list[str], env: dict[str, str], journal: Path) -> Iterator[Popen[bytes]]:
    """Run an ``isoloir`` command that serves, until it says it is ready; on the way out,
    make sure neither it nor any of its children is left running."""
    with journal.open("wb") as sortie:
        processus = subprocess.Popen(
            [*ISOLOIR, *commande], env=env, stdout=sortie, stderr=subprocess.STDOUT
        )
    descendants: set[int] = set()
    try:
        attendre(
            lambda: "Isoloir est prêt" in journal.read_text(errors="replace"),
            quoi=f"isoloir {commande[0]} prêt",
            abandon=lambda: (
                None if processus.poll() is None else journal.read_text(errors="replace")
            ),
        )
        descendants = _descendants(processus.pid)
        yield processus
    finally:
        if processus.poll() is None:
            processus.kill()
            processus.wait()
        # Cleaning up, not a check: whatever is left after a few seconds is killed.
        for pid in _attendre_disparition(descendants | _descendants(processus.pid), 5):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def serveur(environnement_demo: dict[str, str], tmp_path: Path) -> Iterator[Serveur]:
    port = _port_libre()
    journal = tmp_path / "serve.log"
    commande = ["serve", "--port", str(port), "--workers", "1"]
    with _lance(commande, environnement_demo, journal) as processus:
        yield processus, port, journal


def test_serve_sert_le_portail_et_ses_styles_puis_s_arrete_avec_ses_enfants(
    serveur: Serveur, environnement_demo: dict[str, str]
) -> None:
    processus, port, journal = serveur
    enfants = _descendants(processus.pid)
    commandes = {p: Path(f"/proc/{p}/cmdline").read_bytes() for p in enfants}
    assert any(b"granian" in c for c in commandes.values())
    assert any(b"db_worker" in c for c in commandes.values())
    assert any(b"recuperer_votes" in c for c in commandes.values())
    assert any(b"clore_scrutins" in c for c in commandes.values())

    statut, _, page = _lire(f"http://127.0.0.1:{port}/portail/connexion/")
    assert statut == 200
    html = page.decode()
    assert "Connexion au portail Élections" in html
    # Issue 12, point 17: the demo's marque, though nothing in this process's environment
    # names it (the demo that loaded the data ran in another process).
    assert "ISOLOIR_MARQUE" not in os.environ and "ISOLOIR_MARQUE" not in environnement_demo
    assert html.count("Ministère<br>de l&#x27;Éducation<br>nationale") == 2
    feuilles = re.findall(r'href="(/static/[^"]+\.css)"', html)
    assert "/static/isoloir/css/isoloir.css" in feuilles
    for feuille in feuilles:
        statut, type_contenu, contenu = _lire(f"http://127.0.0.1:{port}{feuille}")
        assert statut == 200 and type_contenu.startswith("text/css") and contenu

    processus.send_signal(signal.SIGTERM)
    assert processus.wait(timeout=PLAFOND) == 0
    assert not _attendre_disparition(enfants)
    assert "Isoloir est arrêté." in journal.read_text(errors="replace")


def test_serve_arrete_tout_si_un_enfant_meurt(serveur: Serveur) -> None:
    processus, _, journal = serveur
    enfants = _descendants(processus.pid)
    executeur = next(p for p in enfants if b"db_worker" in Path(f"/proc/{p}/cmdline").read_bytes())

    os.kill(executeur, signal.SIGKILL)

    assert processus.wait(timeout=PLAFOND) == 1
    assert not _attendre_disparition(enfants)
    assert "Arrêt inattendu : exécuteur de tâches" in journal.read_text(errors="replace")


def test_serve_refuse_un_port_deja_pris() -> None:
    with socket.socket() as occupe:
        occupe.bind(("127.0.0.1", 0))
        occupe.listen()
        with pytest.raises(CommandError, match="déjà utilisé"):
            verifier_port_libre("127.0.0.1", occupe.getsockname()[1])


def _deux_ports_libres() -> int:
    """A free port whose next one is free too: the portal's and the demo peer's."""
    for _ in range(20):
        port = _port_libre()
        with socket.socket() as suivant:
            try:
                suivant.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("aucune paire de ports libres")


def _csrf(page: str) -> str:
    trouve = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert trouve, page
    return trouve.group(1)


def test_la_demo_simule_franceconnect_jusqu_au_reassort(
    environnement_demo: dict[str, str], tmp_path: Path
) -> None:
    installer()  # node and the peer's node_modules, as the FranceConnect tests need them
    dossier = Path(environnement_demo["ISOLOIR_DATA_DIR"])
    port = _deux_ports_libres()
    portail, pair = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"
    journal = tmp_path / "demo.log"
    # A day ahead, as the README's way to reach the count: the peer's tokens are dated on
    # the portal's clock, or the return from FranceConnect would find them expired.
    env = {**environnement_demo, "ISOLOIR_HORLOGE_AVANCE": "1d"}
    with _lance(["demo", "--port", str(port)], env, journal) as processus:
        descendants = _descendants(processus.pid)
        sortie_demo = journal.read_text(errors="replace")
        assert f"FranceConnect de démonstration : {pair}" in sortie_demo
        commandes = [Path(f"/proc/{p}/cmdline").read_bytes() for p in descendants]
        assert any(b"serveur.js" in c and b"--identites" in c for c in commandes)

        identites = json.loads((dossier / "franceconnect-demo.json").read_text(encoding="utf-8"))
        vitrine = json.loads((dossier / "demo-credentials.json").read_text(encoding="utf-8"))
        electeur = next(e for e in vitrine["electeurs"] if e["mot_de_passe"])
        assert len(identites) == len(vitrine["electeurs"])
        rang, identite = next(
            (r, i) for r, i in enumerate(identites) if i["birthdate"] == electeur["date_naissance"]
        )
        assert electeur["nom"].upper() in identite["libelle"]

        with httpx.Client(timeout=PLAFOND) as navigateur:
            # The peer answers its discovery, its issuer under /api/v2 as FranceConnect's.
            def decouvrir() -> httpx.Response | None:
                try:
                    return navigateur.get(f"{pair}/api/v2/.well-known/openid-configuration")
                except httpx.TransportError:
                    return None

            decouverte = attendre(decouvrir, quoi="Le FranceConnect de démonstration")
            assert decouverte.json()["issuer"] == f"{pair}/api/v2"

            page = navigateur.get(f"{portail}/portail/connexion/").text
            connexion = navigateur.post(
                f"{portail}/portail/connexion/",
                data={
                    "csrfmiddlewaretoken": _csrf(page),
                    "email": electeur["email"],
                    "mot_de_passe": electeur["mot_de_passe"],
                },
            )
            assert connexion.status_code == 302, connexion.text
            choix = navigateur.get(f"{portail}/portail/reassort/")
            assert "Choix du réassort" in choix.text
            assert 'href="/portail/franceconnect/connexion/"' in choix.text

            # The button leads to the peer's page of identities, one form per identity.
            demande = navigateur.get(
                f"{portail}/portail/franceconnect/connexion/", follow_redirects=True
            )
            assert str(demande.url).startswith(f"{pair}/interaction/")
            assert "FranceConnect — environnement de démonstration" in demande.text
            assert demande.text.count('<form method="post"') == len(identites) + 1
            retour = navigateur.post(
                str(demande.url), data={"identite": str(rang)}, follow_redirects=True
            )
            assert str(retour.url).startswith(f"{portail}/portail/reassort/code-vote")
            assert "REGENERER MON CODE DE VOTE" in retour.text
        # A clean stop: SIGTERM ends the demo and all its children.
        processus.send_signal(signal.SIGTERM)
        processus.wait(timeout=PLAFOND)
        assert not _attendre_disparition(descendants)
    assert processus.returncode == 0, journal.read_text(errors="replace")
    assert "Isoloir est arrêté." in journal.read_text(errors="replace")
