"""Writes and reads of the urne. Called only by the booth's casting steps and by the
public board; nothing here receives or returns anything about a voter."""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction

from isoloir.ballotbox.models import Bulletin, DepotEnAttente, Releve
from isoloir.ballotbox.routers import URNE
from isoloir.core import clock
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


def nombre_de_bulletins(scrutin_id: int) -> int:
    return Bulletin.objects.filter(scrutin_id=scrutin_id).count()


def nombres_de_bulletins() -> dict[int, int]:
    from django.db.models import Count

    return dict(
        Bulletin.objects.values("scrutin_id").annotate(n=Count("pk")).values_list("scrutin_id", "n")
    )


# ---- public board (docs/protocol.md § 7) ----------------------------------------------

INTERVALLE_DES_RELEVES = timedelta(minutes=10)


def contient(scrutin_id: int, traceur: str) -> bool:
    return Bulletin.objects.filter(scrutin_id=scrutin_id, traceur=traceur).exists()


def traceurs(scrutin_id: int) -> list[str]:
    """All trackers of a scrutin, sorted: never in arrival order."""
    return list(
        Bulletin.objects.filter(scrutin_id=scrutin_id)
        .order_by("traceur")
        .values_list("traceur", flat=True)
    )


def releve_a_jour(scrutin_id: int, *, code_scrutin: str, fige: bool = False) -> Releve:
    """The latest snapshot of the board, taken anew when the last one is older than
    ten minutes (or whenever the board is frozen, after closing). Snapshots are spaced
    so that watching them does not time each ballot's arrival."""
    maintenant = clock.now()
    with transaction.atomic(using=URNE):
        dernier = (
            Releve.objects.select_for_update().filter(scrutin_id=scrutin_id).order_by("-numero")
        ).first()
        if dernier and maintenant - dernier.fait_le < INTERVALLE_DES_RELEVES and not fige:
            return dernier
        liste = traceurs(scrutin_id)
        empreinte = tableau.empreinte_tableau(code_scrutin, liste)
        if dernier and dernier.empreinte_tableau == empreinte:
            return dernier
        numero = dernier.numero + 1 if dernier else 1
        precedent = dernier.valeur if dernier else None
        return Releve.objects.create(
            scrutin_id=scrutin_id,
            numero=numero,
            nombre=len(liste),
            empreinte_tableau=empreinte,
            precedent=precedent or "0" * 64,
            valeur=tableau.releve(precedent, numero, len(liste), empreinte),
            fait_le=maintenant,
        )


def releves(scrutin_id: int) -> list[Releve]:
    return list(Releve.objects.filter(scrutin_id=scrutin_id).order_by("numero"))
