"""Import of a roll, as ratios against reading the same file with the csv module alone.

    .venv/bin/python bench/import_liste.py [--lignes 20000]

Prints rows per second and peak Python memory (tracemalloc) of a simulation and of a real
import into a SQLite file, each against a plain ``csv.reader`` pass over the same file.
"""

import argparse
import csv
import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from outils import preparer_django  # bench/ is the script's own folder


def ecrire_fichier(chemin: Path, lignes: int, codes: list[str]) -> None:
    from isoloir.elections.roll_import import COLONNES

    with chemin.open("w", encoding="utf-8", newline="") as fichier:
        sortie = csv.writer(fichier, delimiter=";")
        sortie.writerow(COLONNES)
        for n in range(lignes):
            lettres = "".join(chr(65 + (n // 26**i) % 26) for i in range(3))
            sortie.writerow(
                [
                    f"69E{n % 10_000_000:07d}{lettres}",
                    "Mme",
                    f"Nom{n}",
                    "",
                    "Camille Anne",
                    f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1965 + n % 35}",
                    "69123",
                    "99100",
                    f"agent{n}@ac-lyon.fr",
                    "Lycée du Parc, Lyon",
                    "|".join(codes),
                ]
            )


def mesurer(action: Callable[[], object]) -> tuple[float, int]:
    tracemalloc.start()
    debut = time.perf_counter()
    action()
    duree = time.perf_counter() - debut
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return duree, pic


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lignes", type=int, default=20_000)
    args = parser.parse_args()

    preparer_django()
    from django.core.management import call_command

    from isoloir.core import clock
    from isoloir.elections.models import Scrutin
    from isoloir.elections.roll_import import importer_liste_electorale

    call_command("migrate", verbosity=0)
    from isoloir.elections.demo import charger_campagne_demo

    charger_campagne_demo(maintenant=clock.now(), ouverture_dans=timedelta(days=20))
    scrutin = Scrutin.objects.filter(type="CSA").first()
    assert scrutin is not None
    fichier = Path(os.environ["ISOLOIR_DATA_DIR"]) / "liste.csv"
    ecrire_fichier(fichier, args.lignes, [scrutin.code])

    def lire() -> None:
        with fichier.open(encoding="utf-8", newline="") as f:
            for _ in csv.reader(f, delimiter=";"):
                pass

    def importer(simulation: bool) -> None:
        rapport = importer_liste_electorale(
            campagne=scrutin.campagne, fichier=str(fichier), simulation=simulation
        )
        assert not rapport.refuse, rapport.erreurs[:3]

    t_base, m_base = mesurer(lire)
    t_sim, m_sim = mesurer(lambda: importer(True))
    t_imp, m_imp = mesurer(lambda: importer(False))
    n = args.lignes
    print(f"{n} lignes, SQLite")
    print(f"Lecture csv seule (référence) : {n / t_base:,.0f} lignes/s, pic {m_base / 1e6:.1f} Mo")
    print(
        f"Simulation : {n / t_sim:,.0f} lignes/s (ratio temps {t_sim / t_base:.0f}), "
        f"pic {m_sim / 1e6:.1f} Mo"
    )
    print(
        f"Import réel : {n / t_imp:,.0f} lignes/s (ratio temps {t_imp / t_base:.0f}), "
        f"pic {m_imp / 1e6:.1f} Mo"
    )


if __name__ == "__main__":
    main()
