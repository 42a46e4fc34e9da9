"""Import of a national roll: check (dry run) and application, first import then re-import.

    .venv/bin/python -m bench.import_liste                  # 10 000 rows, a few minutes
    .venv/bin/python -m bench.import_liste --lignes 1400000 # the national roll, SQLite

The file is realistic in shape: ~600 scrutins (a ministerial CSA, 30 academic CSAs, CAPs
and CCPs), ~10,000 établissements, three inscriptions per voter. The re-import changes
1 % of the rows, removes 0.5 % and adds 0.5 %. Each step is timed against a baseline
measured in the same run, reading and splitting the same file with the ``csv`` module
alone, and runs in a forked child process so that its peak RSS (``getrusage``) is its own.
"""

import argparse
import csv
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

SCRUTINS_ACADEMIQUES = 30
SCRUTINS = 600
ETABLISSEMENTS = 10_000
TYPES = ("Lycée", "Collège", "École", "Rectorat", "DSDEN", "Lycée professionnel")


def codes_des_scrutins() -> list[str]:
    autres = SCRUTINS - 1 - SCRUTINS_ACADEMIQUES
    return (
        ["csa-men"]
        + [f"csa-ac-{k:02d}" for k in range(SCRUTINS_ACADEMIQUES)]
        + [f"{'cap' if k % 3 else 'ccp'}-{k:03d}" for k in range(autres)]
    )


def rang(n: int, codes: list[str], *, change: bool = False) -> list[str]:
    """Voter ``n``'s row; ``change`` moves them to another établissement."""
    lettres = "".join(chr(65 + (n // 26**i) % 26) for i in range(3))
    etablissement = (n * 7 + (1 if change else 0)) % ETABLISSEMENTS
    autres = len(codes) - 1 - SCRUTINS_ACADEMIQUES
    return [
        f"{10 + n // 100_000 % 90:02d}E95{n % 100_000:05d}{lettres}",
        "Mme" if n % 2 else "M.",
        f"Nom{n}",
        f"Usage{n}" if n % 5 == 0 else "",
        "Camille Anne" if n % 2 else "Jean Pierre",
        f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1965 + n % 35}",
        f"{1000 + n % 95000:05d}" if n % 17 else "",
        "99100" if n % 17 else "99350",
        f"agent{n}@ac-exemple.fr",
        f"{TYPES[etablissement % len(TYPES)]} n° {etablissement}",
        "|".join(
            [
                "csa-men",
                f"csa-ac-{n % SCRUTINS_ACADEMIQUES:02d}",
                codes[1 + SCRUTINS_ACADEMIQUES + n % autres],
            ]
        ),
    ]


def ecrire_fichiers(dossier: Path, lignes: int, codes: list[str]) -> tuple[Path, Path, dict]:
    """The first file, and the next one: 1 % changed, 0.5 % removed, 0.5 % added."""
    from isoloir.elections.import_liste.lecture import COLONNES

    premier, second = dossier / "liste-1.csv", dossier / "liste-2.csv"
    attendu = {"modifies": 0, "retires": 0, "ajoutes": 0}
    with (
        premier.open("w", encoding="utf-8", newline="") as f1,
        second.open("w", encoding="utf-8", newline="") as f2,
    ):
        un, deux = csv.writer(f1, delimiter=";"), csv.writer(f2, delimiter=";")
        un.writerow(COLONNES)
        deux.writerow(COLONNES)
        for n in range(lignes):
            un.writerow(rang(n, codes))
            if n % 200 == 3:
                attendu["retires"] += 1
                continue
            change = n % 100 == 7
            attendu["modifies"] += change
            deux.writerow(rang(n, codes, change=change))
        for n in range(lignes, lignes + max(1, lignes // 200)):
            attendu["ajoutes"] += 1
            deux.writerow(rang(n, codes))
    return premier, second, attendu


def preparer_campagne(codes: list[str]) -> Any:
    from isoloir.core import horloge
    from isoloir.elections.models import Campagne, Scrutin

    ouverture = horloge.maintenant() + timedelta(days=30)
    campagne = Campagne.objects.create(
        nom="Banc national",
        slug="banc-national",
        ouverture=ouverture,
        cloture=ouverture + timedelta(days=7),
    )
    Scrutin.objects.bulk_create(
        Scrutin(
            campagne=campagne,
            code=code,
            intitule=code.upper(),
            type="CSA",
            perimetre="Banc",
            sieges_titulaires=10,
            ordre=k,
        )
        for k, code in enumerate(codes)
    )
    return campagne


@dataclass
class Mesure:
    nom: str
    secondes: float
    pic_rss: int  # bytes
    resultat: Any = None


def _dans_un_enfant(nom: str, action: Callable[[], Any]) -> Mesure:
    """Run ``action`` in a forked child: its peak RSS is then its own (plus what the
    parent held at the fork, printed apart)."""
    from django.db import connections

    connections.close_all()
    contexte = multiprocessing.get_context("fork")
    lecture, ecriture = contexte.Pipe(duplex=False)

    def enfant() -> None:
        debut = time.perf_counter()
        resultat = action()
        duree = time.perf_counter() - debut
        pic = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        ecriture.send(Mesure(nom, duree, pic, resultat))

    processus = contexte.Process(target=enfant)
    processus.start()
    mesure = lecture.recv()
    processus.join()
    if processus.exitcode != 0:
        raise RuntimeError(f"{nom} : le processus a échoué ({processus.exitcode})")
    return mesure


def _sur_place(nom: str, action: Callable[[], Any]) -> Mesure:
    debut = time.perf_counter()
    resultat = action()
    duree = time.perf_counter() - debut
    return Mesure(nom, duree, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, resultat)


@dataclass
class Resultat:
    lignes: int
    mesures: list[Mesure]
    attendu: dict[str, int]
    rss_au_depart: int

    def mesure(self, nom: str) -> Mesure:
        return next(m for m in self.mesures if m.nom == nom)


def lancer(lignes: int, dossier: Path, *, sous_processus: bool = True) -> Resultat:
    """Write the files, create the campaign, then time the baseline and the four steps."""
    from isoloir.elections.import_liste import application, depot, verification
    from isoloir.elections.models import ImportListe

    codes = codes_des_scrutins()
    premier, second, attendu = ecrire_fichiers(dossier, lignes, codes)
    campagne = preparer_campagne(codes)
    executer = _dans_un_enfant if sous_processus else _sur_place
    rss_au_depart = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def lire(fichier: Path) -> Callable[[], int]:
        def action() -> int:
            n = 0
            with fichier.open(encoding="utf-8", newline="") as f:
                for cellules in csv.reader(f, delimiter=";"):
                    cellules[-1].split("|")
                    n += 1
            return n

        return action

    def verifier(fichier: Path) -> Callable[[], dict[str, Any]]:
        def action() -> dict[str, Any]:
            import_ = depot.deposer(campagne=campagne, fichier=fichier)
            rapport = verification.verifier(import_.pk)
            assert rapport is not None and not rapport.refuse, rapport and rapport.erreurs[:3]
            return {"import": import_.pk, **rapport.vers_json()}

        return action

    def appliquer() -> dict[str, Any]:
        import_ = ImportListe.objects.get(etat="verifie")
        application.demander_application(import_)
        rapport = application.appliquer(import_.pk)
        assert rapport is not None
        return rapport.vers_json()

    mesures = [
        executer("lecture csv (référence)", lire(premier)),
        executer("vérification, premier import", verifier(premier)),
        executer("application, premier import", appliquer),
        executer("vérification, réimport", verifier(second)),
        executer("application, réimport", appliquer),
    ]
    return Resultat(lignes, mesures, attendu, rss_au_depart)


def imprimer(r: Resultat) -> None:
    base = r.mesures[0].secondes
    print(f"{r.lignes} lignes, {SCRUTINS} scrutins, {ETABLISSEMENTS} établissements, SQLite")
    print(f"RSS du processus parent au départ : {r.rss_au_depart / 1e6:.0f} Mo")
    for m in r.mesures:
        print(
            f"{m.nom:32} {m.secondes:8.1f} s  {r.lignes / m.secondes:>10,.0f} lignes/s  "
            f"ratio {m.secondes / base:6.1f}  pic RSS {m.pic_rss / 1e6:6.0f} Mo"
        )
    reimport = r.mesure("vérification, réimport").resultat
    print(
        "Réimport : "
        f"{reimport['electeurs_ajoutes']} ajoutés, {reimport['electeurs_modifies']} modifiés, "
        f"{reimport['electeurs_retires']} retirés, {reimport['electeurs_inchanges']} inchangés "
        f"(attendu : {r.attendu['ajoutes']}, {r.attendu['modifies']}, {r.attendu['retires']})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lignes", type=int, default=10_000)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # DEBUG keeps the last 9,000 queries' SQL, bulk inserts included: it would be most of
    # the memory measured. Production runs without it.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("ISOLOIR_CAPTCHA_TEST_MODE", "0")  # refused without DEBUG
    from bench.outils import preparer_django

    preparer_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    dossier = Path(os.environ["ISOLOIR_DATA_DIR"])
    imprimer(lancer(args.lignes, dossier))


if __name__ == "__main__":
    main()
