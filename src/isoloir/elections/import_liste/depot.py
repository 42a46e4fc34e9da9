"""The deposit of a roll file: a copy stored aside with its SHA-256, an import opened for
the campaign; and the giving up of a checked import that will not be applied."""

import hashlib
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction

from isoloir.audit.services import journaliser
from isoloir.core import horloge
from isoloir.elections.import_liste.etats import MESSAGE_IMPORT_EN_COURS, ImportRefuse, terminer
from isoloir.elections.models import ETATS_ACTIFS, Campagne, EtatImport, ImportListe


def dossier_des_imports() -> Path:
    dossier = Path(settings.DATA_DIR) / "imports-listes"
    dossier.mkdir(mode=0o700, parents=True, exist_ok=True)
    return dossier


def deposer(
    *,
    campagne: Campagne,
    fichier: str | os.PathLike[str] | IO[bytes],
    nom_du_fichier: str = "",
    compte_id: int | None = None,
    ip: str = "",
) -> ImportListe:
    """Store a copy of the file with its SHA-256 and open an import for ``campagne``.

    Earlier imports of the campaign that were checked but not applied are given up (their
    file deleted). Raises :class:`ImportRefuse` when another import is under way.
    """
    chemin = dossier_des_imports() / f"{uuid.uuid4().hex}.csv"
    empreinte, taille, lignes = hashlib.sha256(), 0, 0
    dernier = b"\n"
    descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with ouvrir(fichier) as source, os.fdopen(descripteur, "wb") as copie:
        while bloc := source.read(1024 * 1024):
            empreinte.update(bloc)
            taille += len(bloc)
            lignes += bloc.count(b"\n")
            dernier = bloc[-1:]
            copie.write(bloc)
    if dernier != b"\n":
        lignes += 1  # a last line without its end of line is a line all the same
    try:
        with transaction.atomic():
            if ImportListe.objects.filter(campagne=campagne, etat__in=ETATS_ACTIFS).exists():
                raise IntegrityError  # the constraint below says the same, for races
            for ancien in ImportListe.objects.select_for_update().filter(
                campagne=campagne,
                etat__in=[
                    EtatImport.VERIFIE,
                    EtatImport.PERIME,
                    EtatImport.INTERROMPU,
                    EtatImport.REFUSE,
                ],
            ):
                terminer(ancien, EtatImport.ABANDONNE)
            import_ = ImportListe.objects.create(
                campagne=campagne,
                depose_par_id=compte_id,
                depose_le=horloge.maintenant(),
                nom_du_fichier=(nom_du_fichier or Path(str(getattr(fichier, "name", ""))).name)[
                    :255
                ],
                chemin=str(chemin),
                empreinte=empreinte.hexdigest(),
                taille=taille,
                lignes_du_fichier=max(lignes, 1),
                phase="attente",
            )
            journaliser(
                "liste_electorale.deposee",
                compte_id=compte_id,
                ip=ip,
                campagne=campagne.slug,
                import_liste=import_.pk,
                sha256=import_.empreinte,
                octets=taille,
            )
    except IntegrityError:
        chemin.unlink(missing_ok=True)
        raise ImportRefuse(MESSAGE_IMPORT_EN_COURS) from None
    return import_


@contextmanager
def ouvrir(fichier: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """A path opened for reading, or the stream given, left open."""
    if isinstance(fichier, str | os.PathLike):
        with open(fichier, "rb") as flux:
            yield flux
    else:
        yield fichier


def empreinte_du_fichier(fichier: str | os.PathLike[str] | IO[bytes]) -> str:
    """The SHA-256 of a file given again, to recognise an import cut short; the position
    of a stream is left as it was."""
    empreinte = hashlib.sha256()
    with ouvrir(fichier) as flux:
        if not flux.seekable():
            return ""
        debut = flux.tell()
        while bloc := flux.read(1024 * 1024):
            empreinte.update(bloc)
        flux.seek(debut)
    return empreinte.hexdigest()


def abandonner(import_: ImportListe, *, compte_id: int | None = None, ip: str = "") -> None:
    with transaction.atomic():
        import_ = ImportListe.objects.select_for_update().get(pk=import_.pk)
        if import_.etat not in (EtatImport.VERIFIE, EtatImport.PERIME, EtatImport.REFUSE):
            raise ImportRefuse("Cet import ne peut plus être abandonné.")
        terminer(import_, EtatImport.ABANDONNE)
        journaliser(
            "liste_electorale.abandonnee",
            compte_id=compte_id,
            ip=ip,
            campagne=import_.campagne.slug,
            import_liste=import_.pk,
        )
