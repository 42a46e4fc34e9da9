"""The same list election run with the reference tool ``belenios-tool``, stage by stage.

Used by ``bench/depouillement.py``; runs alone too:

    .venv/bin/python -m bench.belenios [--bulletins 1000] [--processus 2]

Debian's ``belenios-tool`` 2.0 (package ``belenios-tool``): one question with six lists and
the blank vote (exactly one choice), three threshold trustees (Pedersen, threshold 2), the
2048-bit group ``BELENIOS-2048`` (the only kind 2.0 has: Ed25519 came later). Voter ``i``
(from 0) picks choice ``i mod 7``, the blank vote first, as the Isoloir side does; the
decrypted result is checked against that truth.

Everything happens in a temporary folder, one ``belenios-tool`` process per command, as
its documentation runs an election from the command line. Two facts of this tool weigh
on its figures (``docs/bench.md``): every ballot is made by its own process, and the
tally, each partial decryption and the result all check every ballot again before
doing their own, small, work.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

OUTIL = "belenios-tool"
GROUPE = "BELENIOS-2048"
LISTES = 6
DETENTEURS = 3
SEUIL = 2


class EchecBelenios(RuntimeError):
    """belenios-tool refused a step, or its result is not the truth."""


@dataclass(frozen=True)
class Etape:
    """One timed stage: wall seconds and the CPU seconds (user + system) of the
    belenios-tool processes it ran."""

    nom: str
    secondes: float
    cpu: float


@dataclass
class ResultatBelenios:
    bulletins: int
    version: str
    processus: int
    etapes: list[Etape] = field(default_factory=list)
    decomptes: tuple[int, ...] = ()

    def etape(self, nom: str) -> Etape:
        return next(e for e in self.etapes if e.nom == nom)


def disponible(outil: str = OUTIL) -> bool:
    return shutil.which(outil) is not None


def verite(bulletins: int, choix: int) -> tuple[int, ...]:
    """The counts of the round-robin: voter ``i`` (from 0) picks ``i mod choix``."""
    return tuple(bulletins // choix + (1 if c < bulletins % choix else 0) for c in range(choix))


class _Outil:
    """Runs belenios-tool with the environment of the bench, keeps its chatter in a log."""

    def __init__(self, outil: str, dossier: Path) -> None:
        self.outil = outil
        self.journal = dossier / "outil.log"
        # URANDOM: no blocking on /dev/random; C locale: no surprise in the tool's output.
        self.env = {**os.environ, "BELENIOS_USE_URANDOM": "1", "LC_ALL": "C"}

    def __call__(
        self, *arguments: str, cwd: Path, entree: bytes | None = None, sortie: Path | None = None
    ) -> bytes:
        resultat = subprocess.run(  # noqa: S603 - the tool named by the bench, fixed arguments
            [self.outil, *arguments],
            cwd=cwd,
            env=self.env,
            input=entree,
            capture_output=True,
            check=False,
        )
        with self.journal.open("ab") as journal:
            journal.write(resultat.stderr)
        if resultat.returncode != 0:
            raise EchecBelenios(
                f"{self.outil} {' '.join(arguments[:2])} a échoué ({resultat.returncode}) : "
                + resultat.stderr.decode(errors="replace")[-500:]
            )
        if sortie is not None:
            sortie.write_bytes(resultat.stdout)
        return resultat.stdout


def _cpu_des_enfants() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _mesurer[T](resultat: ResultatBelenios, nom: str, action: Callable[[], T]) -> T:
    """Runs ``action`` and records its wall time and its children's CPU time."""
    cpu = _cpu_des_enfants()
    debut = time.perf_counter()
    valeur = action()
    secondes = time.perf_counter() - debut
    resultat.etapes.append(Etape(nom=nom, secondes=secondes, cpu=_cpu_des_enfants() - cpu))
    return valeur


def _modele(bulletins: int, listes: int) -> dict[str, object]:
    return {
        "description": "Banc d'essai du dépouillement (bench/depouillement.py)",
        "name": f"Banc {bulletins} bulletins, {listes} listes",
        "questions": [
            {
                "answers": [f"Liste {k}" for k in range(1, listes + 1)],
                "blank": True,
                "min": 1,
                "max": 1,
                "question": "Quelle liste ?",
            }
        ],
    }


def lancer(
    bulletins: int,
    *,
    processus: int = 1,
    listes: int = LISTES,
    detenteurs: int = DETENTEURS,
    seuil: int = SEUIL,
    verification_finale: bool = True,
    outil: str = OUTIL,
    journal: Callable[[str], None] = lambda _ligne: None,
) -> ResultatBelenios:
    """The whole election with belenios-tool: setup, ``bulletins`` ballots made in
    ``processus`` parallel streams, verification, encrypted tally, ``seuil`` partial
    decryptions, result; checked against the round-robin truth (EchecBelenios if not)."""
    if bulletins < 1 or processus < 1 or not 1 <= seuil <= detenteurs:
        raise ValueError("bulletins ≥ 1, processus ≥ 1, 1 ≤ seuil ≤ détenteurs")
    if not disponible(outil):
        raise EchecBelenios(f"{outil} est introuvable")
    choix = listes + 1
    version = subprocess.run(  # noqa: S603 - the same tool, one fixed argument
        [outil, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    resultat = ResultatBelenios(bulletins=bulletins, version=version, processus=processus)
    with tempfile.TemporaryDirectory(prefix="banc-belenios-") as nom_dossier:
        dossier = Path(nom_dossier)
        reglage, election, urne = dossier / "reglage", dossier / "election", dossier / "urne"
        for d in (reglage, election, urne):
            d.mkdir()
        bt = _Outil(outil, dossier)
        uuid = bt("setup", "generate-token", cwd=dossier).decode().strip()

        def accreditations() -> None:
            bt(
                "setup",
                "generate-credentials",
                "--uuid",
                uuid,
                "--group",
                GROUPE,
                "--count",
                str(bulletins),
                cwd=reglage,
            )

        journal(f"belenios-tool : {bulletins} accréditations…")
        _mesurer(resultat, "accreditations", accreditations)
        (privees,) = reglage.glob("*.privcreds")
        (publiques,) = reglage.glob("*.pubcreds")
        publiques.rename(reglage / "public_creds.json")
        # "id credential" per line; the secret goes to the tool through a file of its own.
        creds = [ligne.split()[1] for ligne in privees.read_text().splitlines() if ligne.strip()]
        if len(creds) != bulletins:
            raise EchecBelenios(f"{len(creds)} accréditations pour {bulletins} électeurs")

        def ceremonie() -> list[Path]:
            cle = ("setup", "generate-trustee-key-threshold", "--group", GROUPE)
            (reglage / "template.json").write_text(json.dumps(_modele(bulletins, listes)))
            for _ in range(detenteurs):
                bt(*cle, "--step", "1", cwd=reglage)
            # Trustee t is the t-th certificate of certs.jsons: one sorted order for all.
            certificats = sorted(reglage.glob("*.cert"))
            (reglage / "certs.jsons").write_bytes(b"".join(c.read_bytes() for c in certificats))
            cles = [c.with_suffix(".key") for c in certificats]
            avec = (*cle, "--certs", "certs.jsons")
            bt(*avec, "--step", "2", cwd=reglage)
            polynomes = b"".join(
                bt(*avec, "--key", k.name, "--step", "3", "--threshold", str(seuil), cwd=reglage)
                for k in cles
            )
            (reglage / "polynomials.jsons").write_bytes(polynomes)
            bt(*avec, "--step", "4", "--polynomials", "polynomials.jsons", cwd=reglage)
            sorties = b"".join(
                bt(
                    *avec,
                    "--key",
                    k.name,
                    "--step",
                    "5",
                    cwd=reglage,
                    entree=k.with_suffix(".vinput").read_bytes(),
                )
                for k in cles
            )
            bt(
                *avec,
                "--step",
                "6",
                "--polynomials",
                "polynomials.jsons",
                cwd=reglage,
                entree=sorties,
                sortie=reglage / "threshold.json",
            )
            (reglage / "public_keys.jsons").write_bytes(b"")  # no non-threshold trustee
            bt("setup", "make-trustees", "--dir", ".", cwd=reglage)
            bt(
                "setup",
                "make-election",
                "--dir",
                ".",
                "--uuid",
                uuid,
                "--group",
                GROUPE,
                "--template",
                "template.json",
                cwd=reglage,
            )
            for nom in ("election.json", "trustees.json", "public_creds.json"):
                shutil.copy(reglage / nom, election / nom)
            bt("archive", "init", cwd=election)
            for nom in ("election.json", "trustees.json", "public_creds.json"):
                (election / nom).unlink()
            return cles

        journal(f"belenios-tool : cérémonie des clés ({detenteurs} détenteurs, seuil {seuil})…")
        cles = _mesurer(resultat, "ceremonie", ceremonie)

        for c in range(choix):
            (dossier / f"choix-{c}.json").write_text(
                json.dumps([[1 if k == c else 0 for k in range(choix)]])
            )
        for i, cred in enumerate(creds):
            (reglage / f"cred-{i}").write_text(cred + "\n")

        def voter(indices: Sequence[int]) -> None:
            for i in indices:
                bt(
                    "election",
                    "generate-ballot",
                    "--dir",
                    str(election),
                    "--privcred",
                    str(reglage / f"cred-{i}"),
                    "--ballot",
                    str(dossier / f"choix-{i % choix}.json"),
                    cwd=dossier,
                    sortie=urne / f"{i}.json",
                )

        def creation() -> None:
            tranches = [range(k, bulletins, processus) for k in range(processus)]
            with ThreadPoolExecutor(processus) as pool:
                list(pool.map(voter, tranches))

        journal(f"belenios-tool : création de {bulletins} bulletins ({processus} processus)…")
        _mesurer(resultat, "creation", creation)

        def depot() -> None:
            for i in range(bulletins):
                bt(
                    "archive",
                    "add-event",
                    "--dir",
                    ".",
                    "--type=Ballot",
                    cwd=election,
                    entree=(urne / f"{i}.json").read_bytes(),
                )

        journal("belenios-tool : dépôt dans l'archive…")
        _mesurer(resultat, "depot", depot)

        def evenement(type_: str, contenu: bytes) -> None:
            bt(
                "archive",
                "add-event",
                "--dir",
                ".",
                f"--type={type_}",
                cwd=election,
                entree=contenu,
            )

        journal("belenios-tool : vérification de l'urne…")
        _mesurer(
            resultat, "verification", lambda: bt("election", "verify", "--dir", ".", cwd=election)
        )
        evenement("EndBallots", b"")
        journal("belenios-tool : somme chiffrée…")
        _mesurer(
            resultat,
            "somme",
            lambda: bt(
                "election",
                "compute-encrypted-tally",
                "--dir",
                ".",
                cwd=election,
                sortie=dossier / "somme.json",
            ),
        )
        evenement("EncryptedTally", (dossier / "somme.json").read_bytes())
        for t in range(1, seuil + 1):
            cle = cles[t - 1]
            sortie = dossier / f"part-{t}.json"
            journal(f"belenios-tool : déchiffrement partiel du détenteur {t}…")
            _mesurer(
                resultat,
                f"dechiffrement_{t}",
                partial(
                    bt,
                    "election",
                    "decrypt-threshold",
                    "--dir",
                    ".",
                    "--key",
                    str(cle),
                    "--decryption-key",
                    str(cle.with_suffix(".dkey")),
                    "--trustee-id",
                    str(t),
                    cwd=election,
                    sortie=sortie,
                ),
            )
            evenement("PartialDecryption", sortie.read_bytes())
        journal("belenios-tool : résultat…")
        _mesurer(
            resultat,
            "resultat",
            lambda: bt(
                "election",
                "compute-result",
                "--dir",
                ".",
                cwd=election,
                sortie=dossier / "resultat.json",
            ),
        )
        publie = json.loads((dossier / "resultat.json").read_text())
        evenement("Result", (dossier / "resultat.json").read_bytes())
        if verification_finale:
            journal("belenios-tool : vérification finale de l'élection…")
            _mesurer(
                resultat,
                "verification_finale",
                lambda: bt("election", "verify", "--dir", ".", cwd=election),
            )

    decomptes = tuple(publie["result"][0])
    attendu = verite(bulletins, choix)
    if decomptes != attendu:
        raise EchecBelenios(
            f"belenios-tool compte {list(decomptes)}, la vérité est {list(attendu)}"
        )
    resultat.decomptes = decomptes
    return resultat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulletins", type=int, default=1000)
    parser.add_argument("--processus", type=int, default=2)
    args = parser.parse_args()
    r = lancer(args.bulletins, processus=args.processus, journal=print)
    print(f"{r.version}, groupe {GROUPE}, {r.bulletins:,} bulletins")
    for e in r.etapes:
        print(
            f"{e.nom:22} {e.secondes:9.3f} s  cpu {e.cpu:9.3f} s  "
            f"{e.secondes * 1000 / r.bulletins:8.3f} ms/bulletin"
        )
    print(f"Résultat (blanc d'abord) : {list(r.decomptes)}, conforme")


if __name__ == "__main__":
    main()
