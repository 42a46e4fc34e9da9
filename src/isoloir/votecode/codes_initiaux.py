"""The initial codes of a roll and their paper notices, establishment by establishment.

For each establishment, the codes of its voters who have none are drawn and printed into
PDF files of at most ``NOTICES_PAR_FICHIER`` pages (a page per voter); then, in one
transaction, their hashes are recorded, the file is listed as a batch (``LotDeNotices``)
and moved to its final name. The name depends on the set of voters the file holds, so a
run interrupted anywhere can simply be started again:
- before the transaction, only a temporary file exists; it is removed or left as
  ``*.partiel``, never listed;
- if the commit itself fails after the move, the same voters still lack a code, get new
  ones, and the same file is written over: the stale codes it held never worked;
- after the commit, these voters have a code and are skipped.
The clear codes exist only in these files, for the printer; the database keeps hashes.
"""

import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.elections.models import Campagne
from isoloir.votecode import code
from isoloir.votecode.impression import Imprimeur, imprimer_pdf
from isoloir.votecode.models import CodeDeVote, GenerationDeNotices, LotDeNotices, Origine
from isoloir.votecode.notices import (
    SANS_ETABLISSEMENT,
    dossier_des_notices,
    racine_des_notices,
    sans_code,
)

# A printer's job and a human's download stay reasonable; an establishment with more
# voters gets several files.
NOTICES_PAR_FICHIER = 500
# Threads hashing a file's codes; the task worker holds one run at a time.
FILS_DE_HACHAGE = max(1, min(8, os.cpu_count() or 1))


@dataclass
class RapportNotices:
    etablissements: int = 0
    codes: int = 0
    fichiers: list[Path] = field(default_factory=list)


Progression = Callable[[int, int, str, int], None]  # (rank, total, establishment, codes)
# Called inside the transaction that records a file's codes, before the file takes its
# final name: raising there cancels the file.
AvantEnregistrement = Callable[[int], None]


def generer_codes_initiaux(
    *,
    campagne: Campagne,
    dossier: Path | None = None,
    progression: Progression | None = None,
    imprimer: Imprimeur | None = None,
    generation: GenerationDeNotices | None = None,
    avant_enregistrement: AvantEnregistrement | None = None,
) -> RapportNotices:
    """Draw, print and record the missing codes of the campaign's voters.

    ``imprimer`` writes one file of notices (the PDF printer by default; tests pass one
    that keeps the codes to try them). ``dossier`` must lie under the notices' root: the
    batches record their path relative to it.
    """
    imprimer = imprimer or imprimer_pdf
    dossier = dossier or dossier_des_notices(campagne)
    # Only the printing service reads these files: they hold codes in clear.
    dossier.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Raises before any code is drawn if the folder is outside the root.
    sous_dossier = dossier.resolve().relative_to(racine_des_notices().resolve())
    marque = secrets.token_hex(4)  # two workers never share a temporary file
    rapport = RapportNotices()
    total = sans_code(campagne).values("etablissement").distinct().count()
    for rang, (etablissement, electeurs) in enumerate(_electeurs_sans_code(campagne), start=1):
        for debut in range(0, len(electeurs), NOTICES_PAR_FICHIER):
            part = electeurs[debut : debut + NOTICES_PAR_FICHIER]
            fichier = dossier / _nom_de_fichier(etablissement, part)
            _imprimer_et_enregistrer(
                fichier,
                fichier.with_name(f"{fichier.name}.{marque}.partiel"),
                imprimer=imprimer,
                campagne=campagne,
                etablissement=etablissement,
                electeurs=part,
                generation=generation,
                avant_enregistrement=avant_enregistrement,
                chemin=(sous_dossier / fichier.name).as_posix(),
            )
            rapport.fichiers.append(fichier)
        rapport.etablissements += 1
        rapport.codes += len(electeurs)
        if progression:
            progression(rang, total, etablissement, len(electeurs))
    return rapport


def _imprimer_et_enregistrer(
    fichier: Path,
    provisoire: Path,
    *,
    imprimer: Imprimeur,
    campagne: Campagne,
    etablissement: str,
    electeurs: list[Electeur],
    generation: GenerationDeNotices | None,
    avant_enregistrement: AvantEnregistrement | None,
    chemin: str,
) -> None:
    codes = {e.pk: code.tirer() for e in electeurs}
    provisoire.touch(mode=0o600)
    try:
        imprimer(
            provisoire,
            campagne=campagne,
            etablissement=etablissement,
            electeurs=electeurs,
            codes=codes,
        )
        # Hashed before the transaction: Argon2 takes seconds for a file, and the
        # transaction (SQLite's write lock, a PostgreSQL row lock) must stay short.
        empreintes = _hacher(codes)
        with transaction.atomic():
            if avant_enregistrement:
                avant_enregistrement(len(electeurs))
            _enregistrer(electeurs, empreintes)
            _enregistrer_lot(
                campagne=campagne,
                generation=generation,
                etablissement=etablissement,
                fichier=fichier.name,
                chemin=chemin,
                notices=len(electeurs),
            )
            journaliser(
                "codes.generes",
                campagne=campagne.slug,
                nombre=len(electeurs),
                fichier=fichier.name,
            )
            # Last step before the commit: see the module's docstring.
            os.replace(provisoire, fichier)
    finally:
        provisoire.unlink(missing_ok=True)


def _electeurs_sans_code(campagne: Campagne) -> Iterator[tuple[str, list[Electeur]]]:
    electeurs = (
        sans_code(campagne)
        .select_related("compte")
        .distinct()
        .order_by("etablissement", "nom_naissance", "prenoms", "pk")
    )
    for etablissement, groupe in groupby(
        electeurs.iterator(chunk_size=2000), key=lambda e: e.etablissement
    ):
        yield etablissement or SANS_ETABLISSEMENT, list(groupe)


def _nom_de_fichier(etablissement: str, electeurs: list[Electeur]) -> str:
    ensemble = ",".join(str(e.pk) for e in electeurs)
    empreinte = hashlib.sha256(ensemble.encode()).hexdigest()[:10]
    return f"{slugify(etablissement)[:80] or 'etablissement'}--{empreinte}.pdf"


def _hacher(codes: dict[int, str]) -> dict[int, str]:
    """Argon2id of each code, on several threads: argon2-cffi releases the GIL while it
    hashes, and hashing is most of a notice's cost (bench/notices.py)."""
    cles = list(codes)
    with ThreadPoolExecutor(max_workers=FILS_DE_HACHAGE) as fils:
        return dict(zip(cles, fils.map(code.hacher, (codes[c] for c in cles)), strict=True))


def _enregistrer(electeurs: list[Electeur], empreintes: dict[int, str]) -> None:
    maintenant = horloge.maintenant()
    CodeDeVote.objects.bulk_create(
        [
            CodeDeVote(
                electeur=e,
                empreinte=empreintes[e.pk],
                origine=Origine.INITIAL,
                emis_le=maintenant,
            )
            for e in electeurs
        ]
    )


def _enregistrer_lot(
    *,
    campagne: Campagne,
    generation: GenerationDeNotices | None,
    etablissement: str,
    fichier: str,
    chemin: str,
    notices: int,
) -> LotDeNotices:
    return LotDeNotices.objects.create(
        campagne=campagne,
        generation=generation,
        etablissement=etablissement,
        fichier=fichier,
        chemin=chemin,
        notices=notices,
        genere_le=horloge.maintenant(),
    )
