"""The lease (bail) under which one background worker at a time advances a long piece of
work recorded in a row: a roll import, a run of the notices.

The row carries two fields: ``jeton``, the token of the worker that holds it (empty when
nobody does), and ``battement``, that worker's last sign of life. A worker writes only
while the row still carries its token, checked in the very statement or transaction that
writes. A worker that died (killed, out of memory, lost its database) leaves a heartbeat
that grows old; once it is older than the work's ``duree``, another worker may take the
row over, and the dead one, should it wake up, finds its token gone and stops without
writing (:class:`BailPerdu`).

The functions take the model class and the primary key rather than an instance: each one
reads or writes the row in the database, never a copy that may be stale. The row's state
is in its ``etat`` field.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol, cast

from django.db import models, transaction

from isoloir.core import horloge


class BailPerdu(Exception):
    """Another worker took the row over: this one must stop before writing anything."""


class Tenu(Protocol):
    """A row under a lease: what the checks below read of it."""

    etat: str
    jeton: str
    battement: datetime | None


def prendre(
    modele: type[models.Model],
    pk: int,
    *,
    etats: Iterable[str],
    duree: timedelta,
    forcer: bool = False,
) -> str | None:
    """Take the row for this worker: a new token, a heartbeat now. Returns the token, or
    None if the row is gone, is not in one of ``etats``, or is held by a live worker (a
    heartbeat younger than ``duree``) unless ``forcer``: the operator knows that worker is
    dead.

    Inside the caller's transaction if there is one, so that the caller can write more of
    the row under the same lock (the run of the notices records its totals with it)."""
    jeton = secrets.token_hex(16)
    with transaction.atomic():
        objet = cast(Tenu | None, modele._default_manager.select_for_update().filter(pk=pk).first())
        if objet is None or objet.etat not in set(etats):
            return None
        if vivant(objet, duree=duree) and not forcer:
            return None
        modele._default_manager.filter(pk=pk).update(jeton=jeton, battement=horloge.maintenant())
    return jeton


def vivant(objet: Tenu, *, duree: timedelta) -> bool:
    """Whether a worker holds the row and gave a sign of life less than ``duree`` ago."""
    return (
        bool(objet.jeton)
        and objet.battement is not None
        and horloge.maintenant() - objet.battement < duree
    )


def perime(objet: Tenu, *, duree: timedelta, depuis: datetime) -> bool:
    """Whether nobody has worked on the row for ``duree``: no sign of life since the last
    heartbeat, or since ``depuis`` (when the work was asked for) if there was none."""
    return horloge.maintenant() - (objet.battement or depuis) >= duree


def signe_de_vie(modele: type[models.Model], pk: int, jeton: str, **champs: object) -> None:
    """Renew the heartbeat, with ``champs`` written in the same statement (progress for the
    page that follows the work). It takes no lock of its own; called inside the caller's
    transaction, the statement's row lock lasts until that commits, which is what keeps a
    launcher from releasing the row in the middle of a batch (the notices draw their codes
    so). Raises :class:`BailPerdu` if the row no longer carries ``jeton``: nothing was
    written."""
    if not modele._default_manager.filter(pk=pk, jeton=jeton).update(
        battement=horloge.maintenant(), **champs
    ):
        raise BailPerdu(f"{modele._meta.label} {pk} reprise par un autre traitement")


def verrouiller[M: models.Model](modele: type[M], pk: int, jeton: str) -> M:
    """The row, locked until the end of the caller's transaction, if it still carries
    ``jeton``; :class:`BailPerdu` otherwise. What the caller then writes in the same
    transaction is written by the holder of the lease only."""
    objet = modele._default_manager.select_for_update().get(pk=pk)
    if cast(Tenu, objet).jeton != jeton:
        raise BailPerdu(f"{modele._meta.label} {pk} reprise par un autre traitement")
    return objet


def liberer(
    modele: type[models.Model], pk: int, *, si_etat: str | None = None, **champs: object
) -> bool:
    """Clear the token of a row whose worker is gone (it died, or the work stopped), with
    ``champs`` written in the same statement, so that the next worker takes it at once.
    The heartbeat is set to now: the row counts as just asked for, not as abandoned, and
    a second request is refused until it is stale again. With ``si_etat``, only a row
    still in that state is released. Returns whether a row was."""
    lignes = modele._default_manager.filter(pk=pk)
    if si_etat is not None:
        lignes = lignes.filter(etat=si_etat)
    return bool(lignes.update(jeton="", battement=horloge.maintenant(), **champs))


def rendre(modele: type[models.Model], pk: int, jeton: str, **champs: object) -> bool:
    """Give the row back (no token any more), with ``champs`` written in the same
    statement (its new state), if this worker still holds it. Returns whether it did: a
    worker that lost the lease changes nothing."""
    return bool(modele._default_manager.filter(pk=pk, jeton=jeton).update(jeton="", **champs))
