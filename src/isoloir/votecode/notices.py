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

A run of the back-office (``GenerationDeNotices``) is launched by lancement.py, goes
through a background task (``tasks.generer_notices``, which runs ``executer_generation``)
and holds a lease: only the worker holding it may record codes, so that a worker believed
dead but still alive cannot overwrite a printed file with codes that would never be
recorded. A stale lease is taken over by the next launch.
"""

import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby
from pathlib import Path
from typing import BinaryIO, NamedTuple, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.core.dates import date_heure_fr
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne
from isoloir.notify.composition import lien_absolu
from isoloir.votecode import code
from isoloir.votecode.models import (
    ETATS_ACTIFS,
    CodeDeVote,
    EtatGeneration,
    GenerationDeNotices,
    LotDeNotices,
    Origine,
)

POLICES = Path("/usr/share/fonts/truetype/dejavu")
# A printer's job and a human's download stay reasonable; an establishment with more
# voters gets several files.
NOTICES_PAR_FICHIER = 500
# A worker renews its lease after every file, which takes seconds; one silent for this
# long has died (or lost its database) and its run may be taken over.
DUREE_DU_BAIL = timedelta(minutes=5)
SANS_ETABLISSEMENT = "Sans établissement"
# Threads hashing a file's codes; the task worker holds one run at a time.
FILS_DE_HACHAGE = max(1, min(8, os.cpu_count() or 1))

journal = logging.getLogger(__name__)


class GenerationRefusee(Exception):
    """A launch the rules forbid; the message is for the administrator, in French."""


class BailPerdu(Exception):
    """Another worker took this run over: this one must stop before recording anything."""


@dataclass
class RapportNotices:
    etablissements: int = 0
    codes: int = 0
    fichiers: list[Path] = field(default_factory=list)


Progression = Callable[[int, int, str, int], None]  # (rank, total, establishment, codes)
# Called inside the transaction that records a file's codes, before the file takes its
# final name: raising there cancels the file.
AvantEnregistrement = Callable[[int], None]


def racine_des_notices() -> Path:
    """The PDFs' root: in the data folder, never under MEDIA_ROOT, so that no web server
    serves them; only the back-office's download view reads them."""
    return Path(settings.DATA_DIR) / "notices"


def dossier_des_notices(campagne: Campagne) -> Path:
    """Where a run writes a campaign's new PDFs. Its batches record their own path
    (``LotDeNotices.chemin``): the slug may have changed since they were written."""
    return racine_des_notices() / campagne.slug


def generer_codes_initiaux(
    *,
    campagne: Campagne,
    dossier: Path | None = None,
    progression: Progression | None = None,
    imprimer: "Imprimeur | None" = None,
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
    imprimer: "Imprimeur",
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


def sans_code(campagne: Campagne) -> "QuerySet[Electeur]":
    """The campaign's voters who have no code yet (a voter on two ballots appears twice)."""
    return Electeur.objects.filter(
        inscriptions__scrutin__campagne=campagne, code_de_vote__isnull=True
    )


def nombre_sans_code(campagne: Campagne) -> int:
    """How many voters of the campaign a generation would give a code and a notice."""
    return sans_code(campagne).distinct().count()


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
    maintenant = clock.now()
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
        genere_le=clock.now(),
    )


# --- Runs of the back-office ----------------------------------------------------------------


def hors_delai(campagne: Campagne) -> bool:
    """A04: past this date the notices can no longer reach voters 15 days before the vote."""
    return clock.now() > calendrier(campagne).remise_des_notices


def generation_active(campagne: Campagne) -> GenerationDeNotices | None:
    return GenerationDeNotices.objects.filter(campagne=campagne, etat__in=ETATS_ACTIFS).first()


def bail_perime(generation: GenerationDeNotices) -> bool:
    """Whether nobody has worked on this waiting or running run for a while."""
    dernier = generation.battement or generation.lancee_le
    return clock.now() - dernier >= DUREE_DU_BAIL


def executer_generation(
    generation_id: int,
    *,
    imprimer: "Imprimeur | None" = None,
    progression: Progression | None = None,
) -> GenerationDeNotices:
    """The task's body: take the run's lease, generate what is missing, close the run.

    A run already finished, or held by a live worker, is left alone: a task delivered
    twice does nothing the second time.
    """
    jeton = secrets.token_hex(16)
    with transaction.atomic():
        generation = (
            GenerationDeNotices.objects.select_for_update()
            .select_related("campagne")
            .get(pk=generation_id)
        )
        if generation.etat not in ETATS_ACTIFS:
            return generation
        if generation.jeton and not bail_perime(generation):
            return generation
        campagne = generation.campagne
        generation.jeton = jeton
        generation.battement = clock.now()
        generation.etat = EtatGeneration.EN_COURS
        _compter(generation)
        generation.save()

    def avant_enregistrement(notices: int) -> None:
        if not GenerationDeNotices.objects.filter(pk=generation_id, jeton=jeton).update(
            notices_faites=F("notices_faites") + notices, battement=clock.now()
        ):
            raise BailPerdu(f"génération {generation_id} reprise par un autre traitement")

    def suivre(rang: int, total: int, etablissement: str, codes: int) -> None:
        GenerationDeNotices.objects.filter(pk=generation_id, jeton=jeton).update(
            etablissements_faits=F("etablissements_faits") + 1, battement=clock.now()
        )
        if progression:
            progression(rang, total, etablissement, codes)

    try:
        rapport = generer_codes_initiaux(
            campagne=campagne,
            imprimer=imprimer,
            generation=generation,
            progression=suivre,
            avant_enregistrement=avant_enregistrement,
        )
    except BailPerdu:
        generation.refresh_from_db()
        return generation
    except Exception as erreur:
        if GenerationDeNotices.objects.filter(pk=generation_id, jeton=jeton).update(
            etat=EtatGeneration.ECHOUEE,
            terminee_le=clock.now(),
            jeton="",
            # The type only: a message may quote a path or a value.
            erreur=type(erreur).__name__[:200],
        ):
            journaliser(
                "notices.generation_echouee",
                campagne=campagne.slug,
                generation=generation_id,
                erreur=type(erreur).__name__,
            )
        raise
    GenerationDeNotices.objects.filter(pk=generation_id, jeton=jeton).update(
        etat=EtatGeneration.TERMINEE, terminee_le=clock.now(), jeton=""
    )
    journaliser(
        "notices.generation_terminee",
        campagne=campagne.slug,
        generation=generation_id,
        codes=rapport.codes,
        fichiers=len(rapport.fichiers),
    )
    generation.refresh_from_db()
    return generation


def _compter(generation: GenerationDeNotices) -> None:
    """The run's totals, from the database: a resumed run counts what earlier runs did."""
    electeurs = Electeur.objects.filter(inscriptions__scrutin__campagne=generation.campagne)
    generation.notices_total = electeurs.distinct().count()
    generation.notices_faites = electeurs.filter(code_de_vote__isnull=False).distinct().count()
    generation.etablissements_total = electeurs.values("etablissement").distinct().count()
    restants = sans_code(generation.campagne).values("etablissement").distinct().count()
    generation.etablissements_faits = generation.etablissements_total - restants


# --- Batches: download and destruction -------------------------------------------------------


class FichierIndisponible(Exception):
    """The batch's file was destroyed or is missing; the message is in French."""


def chemin_du_lot(lot: LotDeNotices) -> Path:
    """The path recorded when the file was written, not one derived from the campaign's
    current slug, which may have changed since."""
    racine = racine_des_notices().resolve()
    chemin = (racine / lot.chemin).resolve()
    # The path is our own, but a hand-edited row must not reach elsewhere.
    if chemin == racine or not chemin.is_relative_to(racine):
        raise FichierIndisponible("Ce fichier n'est pas dans le dossier des notices.")
    return chemin


def ouvrir_lot(lot: LotDeNotices, *, compte_id: int | None, ip: str = "") -> BinaryIO:
    """The batch's file, open for reading, with the download journaled."""
    if lot.introuvable:
        raise FichierIndisponible(
            "Ce fichier était introuvable quand sa destruction a été demandée : il ne peut "
            "plus être téléchargé."
        )
    if lot.detruit_le is not None:
        raise FichierIndisponible("Ce fichier a été détruit : il ne peut plus être téléchargé.")
    chemin = chemin_du_lot(lot)
    try:
        flux = chemin.open("rb")
    except FileNotFoundError:
        raise FichierIndisponible(
            "Ce fichier est introuvable dans le dossier des notices."
        ) from None
    with transaction.atomic():
        LotDeNotices.objects.filter(pk=lot.pk).update(telechargements=F("telechargements") + 1)
        journaliser(
            "notices.lot_telecharge",
            compte_id=compte_id,
            ip=ip,
            campagne=lot.campagne.slug,
            lot=lot.pk,
            notices=lot.notices,
        )
    return flux


def detruire_lot(lot: LotDeNotices, *, compte_id: int | None, ip: str = "") -> LotDeNotices:
    """Delete a printed batch's file (it holds codes in clear) and keep its record.

    When no file is at the recorded path, nothing can be unlinked: the batch is closed with
    ``introuvable`` set, journaled as such (``notices.lot_introuvable``), and the caller
    tells the administrator, who must look for the file.

    Idempotent: destroying twice changes nothing and journals once.
    """
    with transaction.atomic():
        lot = LotDeNotices.objects.select_for_update().select_related("campagne").get(pk=lot.pk)
        if lot.detruit_le is not None:
            return lot
        chemin = chemin_du_lot(lot)
        lot.introuvable = not chemin.is_file()
        lot.detruit_le = clock.now()
        lot.detruit_par_id = compte_id
        lot.save(update_fields=["detruit_le", "detruit_par", "introuvable"])
        journaliser(
            "notices.lot_introuvable" if lot.introuvable else "notices.lot_detruit",
            compte_id=compte_id,
            ip=ip,
            campagne=lot.campagne.slug,
            lot=lot.pk,
            notices=lot.notices,
            **({"chemin": lot.chemin} if lot.introuvable else {}),
        )
        # Unlinked inside the transaction: if this fails, the record still says the file
        # exists, which is true.
        chemin.unlink(missing_ok=True)
    return lot


class Polices(NamedTuple):
    texte: str
    gras: str
    mono: str


def polices() -> Polices:
    """The fonts of the product's PDFs (notices, receipts, PV): DejaVu, which covers French
    accents, when the system has it; reportlab's built-in fonts otherwise."""
    if (POLICES / "DejaVuSans.ttf").exists():
        for nom, fichier in (
            ("DejaVu", "DejaVuSans.ttf"),
            ("DejaVu-Gras", "DejaVuSans-Bold.ttf"),
            ("DejaVu-Mono", "DejaVuSansMono-Bold.ttf"),
        ):
            if nom not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(nom, str(POLICES / fichier)))
        return Polices("DejaVu", "DejaVu-Gras", "DejaVu-Mono")
    return Polices("Helvetica", "Helvetica-Bold", "Courier-Bold")


class Imprimeur(Protocol):
    def __call__(
        self,
        fichier: Path,
        *,
        campagne: Campagne,
        etablissement: str,
        electeurs: list[Electeur],
        codes: dict[int, str],
    ) -> None: ...


def imprimer_pdf(
    fichier: Path,
    *,
    campagne: Campagne,
    etablissement: str,
    electeurs: list[Electeur],
    codes: dict[int, str],
) -> None:
    """Write the notices to ``fichier``, created readable by its owner only."""
    texte, gras, mono = polices()
    fichier.touch(mode=0o600)
    feuille = Canvas(str(fichier), pagesize=A4)
    feuille.setTitle(f"Notices de vote — {etablissement}")
    _, hauteur = A4
    debut = date_heure_fr(campagne.ouverture, jour_de_semaine=True)
    fin = date_heure_fr(campagne.cloture, jour_de_semaine=True)
    portail = lien_absolu("/portail/")
    for electeur in electeurs:
        y = hauteur - 2.5 * cm
        feuille.setFont(gras, 16)
        feuille.drawString(2 * cm, y, f"Notice de vote — {campagne.nom}")
        y -= 0.8 * cm
        feuille.setFont(texte, 10)
        feuille.drawString(2 * cm, y, f"Établissement : {etablissement}")
        y -= 1.5 * cm
        feuille.setFont(gras, 12)
        feuille.drawString(
            2 * cm,
            y,
            f"{electeur.get_civilite_display()} {electeur.prenoms} {electeur.nom.upper()}",
        )
        y -= 0.6 * cm
        feuille.setFont(texte, 10)
        feuille.drawString(2 * cm, y, f"Identifiant de connexion : {electeur.compte.email}")
        y -= 1.6 * cm
        feuille.setFont(texte, 11)
        feuille.drawString(2 * cm, y, "Votre code de vote, personnel et confidentiel :")
        y -= 1.3 * cm
        feuille.setFont(mono, 24)
        feuille.drawString(2 * cm, y, " ".join(codes[electeur.pk]))
        y -= 1.6 * cm
        feuille.setFont(texte, 10)
        for ligne in (
            f"Le vote est ouvert du {debut} au {fin} (heure de Paris),",
            f"sur le portail des élections : {portail}",
            "1. Connectez-vous avec votre adresse professionnelle et votre mot de passe élections.",
            "2. Choisissez « Consulter les scrutins, les candidatures et voter », saisissez ce "
            "code de vote",
            "   et recopiez le CAPTCHA : votre espace de vote s'ouvre.",
            "Ce code ne sera jamais redemandé par courriel ni par téléphone. Ne le communiquez à "
            "personne.",
            "Code perdu ? Le portail vous en donne un nouveau (« réassort »), sans intermédiaire.",
        ):
            feuille.drawString(2 * cm, y, ligne)
            y -= 0.55 * cm
        feuille.showPage()
    feuille.save()
