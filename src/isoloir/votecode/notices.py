"""The notices of a campaign as the back-office knows them: where their files are, which
voters still lack a code, the state of a run (``GenerationDeNotices``) and its lease, the
batches' files (download, destruction).

A run is launched by lancement.py and goes through a background task
(``tasks.generer_notices``, which runs ``generation.executer_generation``); the codes are
drawn, printed and recorded by codes_initiaux.py, each notice drawn by impression.py.
"""

from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import bail, horloge
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne
from isoloir.votecode.models import GenerationDeNotices, LotDeNotices

# A worker renews its lease after every file, which takes seconds; one silent for this
# long has died (or lost its database) and its run may be taken over.
DUREE_DU_BAIL = timedelta(minutes=5)
SANS_ETABLISSEMENT = "Sans établissement"


class GenerationRefusee(Exception):
    """A launch the rules forbid; the message is for the administrator, in French."""


def racine_des_notices() -> Path:
    """The PDFs' root: in the data folder, never under MEDIA_ROOT, so that no web server
    serves them; only the back-office's download view reads them."""
    return Path(settings.DATA_DIR) / "notices"


def dossier_des_notices(campagne: Campagne) -> Path:
    """Where a run writes a campaign's new PDFs. Its batches record their own path
    (``LotDeNotices.chemin``): the slug may have changed since they were written."""
    return racine_des_notices() / campagne.slug


def sans_code(campagne: Campagne) -> "QuerySet[Electeur]":
    """The campaign's voters who have no code yet (a voter on two ballots appears twice)."""
    return Electeur.objects.filter(
        inscriptions__scrutin__campagne=campagne, code_de_vote__isnull=True
    )


def nombre_sans_code(campagne: Campagne) -> int:
    """How many voters of the campaign a generation would give a code and a notice."""
    return sans_code(campagne).distinct().count()


# --- Runs of the back-office ----------------------------------------------------------------


def hors_delai(campagne: Campagne) -> bool:
    """A04: past this date the notices can no longer reach voters 15 days before the vote."""
    return horloge.maintenant() > calendrier(campagne).remise_des_notices


def bail_perime(generation: GenerationDeNotices) -> bool:
    """Whether nobody has worked on this waiting or running run for a while."""
    return bail.perime(generation, duree=DUREE_DU_BAIL, depuis=generation.lancee_le)


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
        lot.detruit_le = horloge.maintenant()
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
