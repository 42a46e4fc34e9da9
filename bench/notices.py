"""Initial codes and notices at national scale, and the import of the delivery lists.

    .venv/bin/python bench/notices.py [--notices 1500] [--remises 20000]

- the whole generation of a run (code drawn, Argon2id hash, PDF page, the batch and its
  lease recorded, file moved), as the back-office's task does it, in notices per second;
  beside it, in the same process, its two parts alone: hashing the same number of codes,
  and printing the same pages (same text, same fonts) without any database, as ratios;
  then the extrapolation to 1.4 million voters on one core;
- the import of a delivery list (CSV: e-mail, state, date), in rows per second, against a
  plain ``csv.reader`` pass over the same file.

Each measure is one run on a SQLite file in a throwaway data folder.
"""

import argparse
import csv
import io
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from outils import preparer_django  # bench/ on the path, run as a script or imported

ELECTEURS_NATIONAUX = 1_400_000
PAR_ETABLISSEMENT = 40
INUTILISABLE = "!banc"  # Django's mark of an unusable password


class Chrono:
    """Wall time and this process's CPU time (all threads): on a loaded machine the CPU
    time is what one core would take."""

    def __enter__(self) -> "Chrono":
        self.debut, self.debut_cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.duree = time.perf_counter() - self.debut
        self.cpu = time.process_time() - self.debut_cpu


@dataclass
class Resultats:
    notices: int
    generation: float
    generation_cpu: float
    hachage: float
    hachage_cpu: float
    impression: float
    impression_cpu: float
    remises: int
    import_remises: float
    lecture_csv: float
    fichiers: int

    @property
    def notices_par_seconde(self) -> float:
        return self.notices / self.generation

    @property
    def heures_nationales(self) -> float:
        """On one core: the CPU time per notice (the wall time includes the machine's load
        and, past one core, the hashing threads' overlap)."""
        return ELECTEURS_NATIONAUX * self.generation_cpu / self.notices / 3600

    @property
    def lignes_par_seconde(self) -> float:
        return self.remises / self.import_remises


def creer_electeurs(campagne, nombre: int, debut: int, *, avec_code: bool) -> list[int]:  # type: ignore[no-untyped-def]
    """``nombre`` voters on the campaign's first scrutin, by bulk inserts (the roll import
    is measured by bench/import_liste.py)."""
    from isoloir.accounts import numen
    from isoloir.accounts.models import Compte, Electeur
    from isoloir.core import horloge
    from isoloir.elections.models import Inscription
    from isoloir.votecode.models import CodeDeVote, Origine

    scrutin = campagne.scrutins.first()
    comptes = Compte.objects.bulk_create(
        # An unusable password: these accounts never log in.
        [
            Compte(email=f"agent{debut + n}@ac-banc.fr", password=INUTILISABLE)
            for n in range(nombre)
        ],
        batch_size=2000,
    )
    electeurs = Electeur.objects.bulk_create(
        [
            Electeur(
                compte=compte,
                civilite="Mme",
                nom_naissance=f"Nom{debut + n}",
                prenoms="Camille Anne",
                date_naissance=date(1980, 1, 1),
                numen_empreinte=numen.empreinte(f"69E{debut + n:07d}ABC"),
                etablissement=f"Établissement n° {(debut + n) // PAR_ETABLISSEMENT:05d}",
            )
            for n, compte in enumerate(comptes)
        ],
        batch_size=2000,
    )
    Inscription.objects.bulk_create(
        [Inscription(electeur=e, scrutin=scrutin) for e in electeurs], batch_size=2000
    )
    if avec_code:
        CodeDeVote.objects.bulk_create(
            [
                CodeDeVote(
                    electeur=e,
                    empreinte="$argon2id$banc",
                    origine=Origine.INITIAL,
                    emis_le=horloge.maintenant(),
                )
                for e in electeurs
            ],
            batch_size=2000,
        )
    return [e.pk for e in electeurs]


def mesurer(nombre_notices: int, nombre_remises: int) -> Resultats:
    """Django is set up and the database migrated; ``settings.DATA_DIR`` takes the PDFs."""
    from isoloir.accounts.models import Electeur
    from isoloir.core import horloge
    from isoloir.elections.models import Campagne, Scrutin
    from isoloir.votecode import code, generation, impression, lancement, notices, remises
    from isoloir.votecode.models import EtatGeneration

    campagne = Campagne.objects.create(
        nom="Banc des notices",
        slug=f"banc-notices-{time.monotonic_ns()}",
        ouverture=horloge.maintenant() + timedelta(days=30),
        cloture=horloge.maintenant() + timedelta(days=38),
    )
    Scrutin.objects.create(
        campagne=campagne,
        code="csa-banc",
        intitule="CSA du banc",
        type="CSA",
        perimetre="Ministère",
        sieges_titulaires=15,
        sieges_suppleants=15,
    )
    creer_electeurs(campagne, nombre_notices, 0, avec_code=False)

    with Chrono() as chrono_generation:
        lancee = lancement.lancer_generation(
            campagne=campagne, compte_id=None, mettre_en_file=False
        )
        lancee = generation.executer_generation(lancee.pk)
    if lancee.etat != EtatGeneration.TERMINEE or lancee.notices_faites != nombre_notices:
        raise RuntimeError(f"génération incomplète : {lancee.etat}")

    # Baselines, same process: the hashes alone, then the same pages without the database.
    codes = [code.tirer() for _ in range(nombre_notices)]
    with Chrono() as chrono_hachage:
        for tire in codes:
            code.hacher(tire)
    electeurs = list(
        Electeur.objects.filter(inscriptions__scrutin__campagne=campagne)
        .select_related("compte")
        .order_by("pk")
    )
    from django.conf import settings

    dossier = Path(settings.DATA_DIR) / "banc-pages"
    dossier.mkdir(parents=True, exist_ok=True)
    with Chrono() as chrono_impression:
        for n in range(0, len(electeurs), PAR_ETABLISSEMENT):
            lot = electeurs[n : n + PAR_ETABLISSEMENT]
            impression.imprimer_pdf(
                dossier / f"{n}.pdf",
                campagne=campagne,
                etablissement=lot[0].etablissement,
                electeurs=lot,
                codes={e.pk: codes[i + n] for i, e in enumerate(lot)},
            )

    # Delivery lists: voters with a notice already, states in turn.
    creer_electeurs(campagne, nombre_remises, nombre_notices, avec_code=True)
    hier = (horloge.maintenant() - timedelta(days=1)).date()
    etats = ["remise contre signature", "envoyée par la poste", "détruite", "en attente"]
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow(["adresse électronique professionnelle", "état", "date"])
    for n in range(nombre_remises):
        ecrivain.writerow(
            [f"agent{nombre_notices + n}@ac-banc.fr", etats[n % 4], f"{hier:%d/%m/%Y}"]
        )
    contenu = sortie.getvalue().encode("utf-8")
    debut = time.perf_counter()
    for _ in csv.reader(io.StringIO(contenu.decode("utf-8")), delimiter=";"):
        pass
    duree_lecture = time.perf_counter() - debut
    debut = time.perf_counter()
    rapport = remises.importer_remises(contenu, campagne=campagne, simulation=False)
    duree_import = time.perf_counter() - debut
    if rapport.refuse or rapport.total_modifiees != nombre_remises - nombre_remises // 4:
        raise RuntimeError(f"import refusé : {rapport.erreurs[:3]}")
    return Resultats(
        notices=nombre_notices,
        generation=chrono_generation.duree,
        generation_cpu=chrono_generation.cpu,
        hachage=chrono_hachage.duree,
        hachage_cpu=chrono_hachage.cpu,
        impression=chrono_impression.duree,
        impression_cpu=chrono_impression.cpu,
        remises=nombre_remises,
        import_remises=duree_import,
        lecture_csv=duree_lecture,
        fichiers=len(list(notices.dossier_des_notices(campagne).glob("*.pdf"))),
    )


def rapport(r: Resultats) -> str:
    from isoloir.votecode import codes_initiaux

    parties = r.hachage + r.impression
    return "\n".join(
        [
            f"Génération de {r.notices} notices ({r.fichiers} fichier(s) PDF, "
            f"{PAR_ETABLISSEMENT} électeurs par établissement) : {r.generation:.1f} s, "
            f"{r.notices_par_seconde:,.0f} notices/s (CPU : {r.generation_cpu:.1f} s, "
            f"{codes_initiaux.FILS_DE_HACHAGE} fil(s) de hachage)",
            f"  empreintes seules, un fil : {r.hachage:.1f} s ({r.notices / r.hachage:,.0f}/s, "
            f"CPU {r.hachage_cpu:.1f} s) ; "
            f"pages seules : {r.impression:.1f} s ({r.notices / r.impression:,.0f}/s, "
            f"CPU {r.impression_cpu:.1f} s)",
            f"  ratio génération / (empreintes + pages) = {r.generation / parties:.2f}, "
            f"en CPU {r.generation_cpu / (r.hachage_cpu + r.impression_cpu):.2f} "
            f"(le reste : base de données, bail, journal, fichiers)",
            f"  → {ELECTEURS_NATIONAUX:,} électeurs ≈ {r.heures_nationales:.2f} h de CPU, "
            f"soit ≈ {r.heures_nationales / codes_initiaux.FILS_DE_HACHAGE:.2f} h sur "
            f"{codes_initiaux.FILS_DE_HACHAGE} cœur(s) (le hachage, l'essentiel, se répartit)",
            f"Import d'une liste de remises, {r.remises} lignes : {r.import_remises:.2f} s, "
            f"{r.lignes_par_seconde:,.0f} lignes/s (csv.reader seul : "
            f"{r.remises / r.lecture_csv:,.0f} lignes/s, ratio "
            f"{r.import_remises / r.lecture_csv:,.0f})",
            f"  → liste nationale de {ELECTEURS_NATIONAUX:,} lignes ≈ "
            f"{ELECTEURS_NATIONAUX / r.lignes_par_seconde / 60:.1f} min",
        ]
    )


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=1500)
    parser.add_argument("--remises", type=int, default=20_000)
    args = parser.parse_args(arguments)
    preparer_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(rapport(mesurer(args.notices, args.remises)))


if __name__ == "__main__":
    main()
