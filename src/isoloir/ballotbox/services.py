"""Writes and reads of the urne. Called only by the booth's casting steps and by the
public board; nothing here receives or returns anything about a voter."""

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet

from isoloir.ballotbox.models import Bulletin, DepotEnAttente, Releve
from isoloir.ballotbox.routers import URNE
from isoloir.core import horloge
from isoloir.crypto import tableau
from isoloir.crypto.bulletin import BulletinVerifie


class BulletinDejaDansLUrne(Exception):
    """The same ballot, or one reusing its first ciphertext, is already in the urne."""


def deposer(*, scrutin_id: int, bulletin: BulletinVerifie, empreinte_nonce: str) -> None:
    """Step 2 of a vote: the ballot and its pending row, together or not at all."""
    try:
        with transaction.atomic(using=URNE):
            depose = Bulletin.objects.create(
                id=secrets.token_hex(16),
                scrutin_id=scrutin_id,
                contenu=bulletin.canonique,
                traceur=bulletin.traceur,
                alpha0=bulletin.alpha0.hex(),
            )
            DepotEnAttente.objects.create(empreinte_nonce=empreinte_nonce, bulletin=depose)
    except IntegrityError as erreur:
        if Bulletin.objects.filter(traceur=bulletin.traceur).exists() or (
            Bulletin.objects.filter(alpha0=bulletin.alpha0.hex()).exists()
        ):
            raise BulletinDejaDansLUrne from erreur
        raise


def traceur_en_attente(empreinte_nonce: str) -> str | None:
    """The tracker of the ballot pending under this nonce, if any."""
    return (
        DepotEnAttente.objects.filter(empreinte_nonce=empreinte_nonce)
        .values_list("bulletin__traceur", flat=True)
        .first()
    )


def confirmer(empreinte_nonce: str) -> None:
    """Step 4: the émargement is written, the ballot stays, the pending row goes."""
    DepotEnAttente.objects.filter(empreinte_nonce=empreinte_nonce).delete()


def annuler(empreinte_nonce: str) -> bool:
    """Recovery: a ballot whose vote was never acknowledged leaves the urne with its
    pending row. Returns whether there was one."""
    with transaction.atomic(using=URNE):
        depot = (
            DepotEnAttente.objects.select_for_update()
            .filter(empreinte_nonce=empreinte_nonce)
            .first()
        )
        if depot is None:
            return False
        Bulletin.objects.filter(pk=depot.bulletin_id).delete()  # cascades to the row
        return True


def empreintes_en_attente() -> list[str]:
    return list(DepotEnAttente.objects.values_list("empreinte_nonce", flat=True))


# ---- public board (docs/protocol.md § 7) ----------------------------------------------

INTERVALLE_DES_RELEVES = timedelta(minutes=10)


def _publies(scrutin_id: int) -> QuerySet[Bulletin]:
    """The scrutin's ballots whose vote is complete: a pending one may still be taken out
    by the recovery, and the board only ever grows."""
    return Bulletin.objects.filter(scrutin_id=scrutin_id).exclude(
        pk__in=DepotEnAttente.objects.values("bulletin_id")
    )


def contient(scrutin_id: int, *, traceur: str) -> bool:
    return _publies(scrutin_id).filter(traceur=traceur).exists()


def scrutin_du_traceur(scrutins: list[int], *, traceur: str) -> int | None:
    """Which of ``scrutins`` holds the tracker, if any: a voter who searches the wrong
    board is pointed to the right one. It says no more than searching each public board
    would."""
    return (
        Bulletin.objects.filter(scrutin_id__in=scrutins, traceur=traceur)
        .exclude(pk__in=DepotEnAttente.objects.values("bulletin_id"))
        .values_list("scrutin_id", flat=True)
        .first()
    )


def traceurs(scrutin_id: int) -> QuerySet[Bulletin, str]:
    """All trackers of a scrutin, sorted: never in arrival order. Lazy, so that a page of
    the board reads one page from the database."""
    return _publies(scrutin_id).order_by("traceur").values_list("traceur", flat=True)


def bulletins(scrutin_id: int) -> Iterator[tuple[str, str]]:
    """(tracker, canonical ballot) of every published ballot, sorted by tracker."""
    return _publies(scrutin_id).order_by("traceur").values_list("traceur", "contenu").iterator()


def releve_a_jour(scrutin_id: int, *, code_scrutin: str, cloture: datetime) -> Releve:
    """The latest snapshot of the board. During the vote a new one is taken when the last
    is ten minutes old, whether or not ballots arrived, so that neither the snapshots nor
    their numbers time any ballot. After the closing, one last snapshot is taken once and
    stands for good."""
    maintenant = horloge.maintenant()
    with transaction.atomic(using=URNE):
        dernier = (
            Releve.objects.select_for_update().filter(scrutin_id=scrutin_id).order_by("-numero")
        ).first()
        if dernier is not None:
            fige = dernier.fait_le >= cloture
            recent = maintenant < cloture and maintenant - dernier.fait_le < INTERVALLE_DES_RELEVES
            if fige or recent:
                return dernier
        liste = list(traceurs(scrutin_id))
        empreinte = tableau.empreinte_tableau(code_scrutin, liste)
        numero = dernier.numero + 1 if dernier else 1
        precedent = dernier.valeur if dernier else None
        return Releve.objects.create(
            scrutin_id=scrutin_id,
            numero=numero,
            nombre=len(liste),
            empreinte_tableau=empreinte,
            precedent=precedent or tableau.PREMIER_PRECEDENT,
            valeur=tableau.releve(precedent, numero, empreinte),
            fait_le=maintenant,
        )


def rebrasser(scrutin_id: int, *, nettoyer: bool = True) -> int:
    """Rewrite a scrutin's ballots in tracker order, at the closing.

    On PostgreSQL a table keeps its rows roughly in insertion order, and each row's
    ``xmin`` (the inserting transaction) grows with it: whoever can query the urne could
    line ballots up with the émargement's times. Rewritten in one transaction, every row
    shares one ``xmin`` and sits in tracker order; VACUUM FULL then drops the old row
    versions. (SQLite's table is clustered on its random key: nothing to do.)
    """
    connexion = connections[URNE]
    with transaction.atomic(using=URNE):
        lignes = list(
            Bulletin.objects.select_for_update()
            .filter(scrutin_id=scrutin_id)
            .exclude(pk__in=DepotEnAttente.objects.values("bulletin_id"))
            .order_by("traceur")
        )
        Bulletin.objects.filter(pk__in=[b.pk for b in lignes]).delete()
        Bulletin.objects.bulk_create(lignes, batch_size=1000)
    # VACUUM cannot run inside a transaction: a caller already in one (a test) skips it.
    if nettoyer and connexion.vendor == "postgresql" and not connexion.in_atomic_block:
        with connexion.cursor() as curseur:
            curseur.execute(f"VACUUM FULL {Bulletin._meta.db_table}")
    return len(lignes)
