"""Closing a scrutin (décret 2011-595 art. 14-I, A17): once its window has ended, its
urne and its émargement are frozen and fingerprinted; the count then checks that it
works on exactly that urne and that émargement."""

import hashlib

from django.db import transaction

from isoloir.audit.services import journaliser
from isoloir.ballotbox import services as urne
from isoloir.booth.models import Emargement, IntentionDeVote
from isoloir.core import horloge
from isoloir.counting.models import Cloture
from isoloir.crypto import tableau
from isoloir.elections.models import Scrutin
from isoloir.elections.selectors import Phase, fenetre_du_scrutin


class ClotureRefusee(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def empreinte_emargement(scrutin: Scrutin) -> tuple[int, str]:
    """SHA-256 of the émargement's lines (inscription, time), in inscription order."""
    lignes = (
        Emargement.objects.filter(inscription__scrutin=scrutin)
        .order_by("inscription_id")
        .values_list("inscription_id", "emarge_le")
    )
    condense = hashlib.sha256(b"isoloir/v1/emargement\n")
    nombre = 0
    for inscription_id, emarge_le in lignes.iterator():
        condense.update(f"{inscription_id} {emarge_le.isoformat()}\n".encode())
        nombre += 1
    return nombre, condense.hexdigest()


def empreinte_urne(scrutin: Scrutin) -> tuple[int, str]:
    """The board's fingerprint (docs/protocol.md § 7) over all the urne's trackers."""
    traceurs = list(urne.traceurs(scrutin.pk))
    return len(traceurs), tableau.empreinte_tableau(scrutin.code, traceurs)


def clore(scrutin: Scrutin) -> Cloture:
    """Freeze and fingerprint a scrutin whose window has ended. The urne is first
    rewritten in tracker order (``rebrasser``) so that not even its storage keeps the
    order of arrival. Running it again returns the same closing."""
    if fenetre_du_scrutin(scrutin).phase() is not Phase.CLOS:
        raise ClotureRefusee("Le scrutin ne peut être clos qu'à la fin de sa période de vote.")
    existante = Cloture.objects.filter(scrutin=scrutin).first()
    if existante is not None:
        return existante
    if IntentionDeVote.objects.filter(inscription__scrutin=scrutin).exists():
        # A vote begun before the end is still being written, or awaits the recovery
        # (booth/depot.py): freezing now would leave it out, or change the urne after.
        raise ClotureRefusee(
            "Des votes commencés avant la fin de la période sont encore en cours "
            "d'enregistrement : la clôture sera possible dans quelques minutes, une fois "
            "ces votes terminés ou annulés."
        )
    urne.rebrasser(scrutin.pk)
    with transaction.atomic():
        bulletins, empreinte = empreinte_urne(scrutin)
        emargements, empreinte_em = empreinte_emargement(scrutin)
        cloture = Cloture.objects.create(
            scrutin=scrutin,
            bulletins=bulletins,
            emargements=emargements,
            empreinte_urne=empreinte,
            empreinte_emargement=empreinte_em,
            faite_le=horloge.maintenant(),
        )
        # The board's last statement, over the whole urne, is part of the closing.
        urne.releve_a_jour(
            scrutin.pk, code_scrutin=scrutin.code, cloture=fenetre_du_scrutin(scrutin).cloture
        )
        journaliser(
            "scrutin.clos",
            scrutin=scrutin.pk,
            bulletins=bulletins,
            emargements=emargements,
            empreinte_urne=empreinte,
            empreinte_emargement=empreinte_em,
        )
    return cloture


def verifier(cloture: Cloture) -> list[str]:
    """What changed in the urne or the émargement since the closing (empty: nothing)."""
    ecarts = []
    if empreinte_urne(cloture.scrutin) != (cloture.bulletins, cloture.empreinte_urne):
        ecarts.append("L'urne a changé depuis la clôture.")
    if empreinte_emargement(cloture.scrutin) != (
        cloture.emargements,
        cloture.empreinte_emargement,
    ):
        ecarts.append("L'émargement a changé depuis la clôture.")
    return ecarts


def clore_les_scrutins_termines() -> list[Cloture]:
    """Close every scrutin whose window has ended (A17: automatically at the end of the
    vote). One still finishing a vote is left for the next round."""
    closes = []
    for scrutin in Scrutin.objects.filter(cloture_faite__isnull=True, cle__isnull=False):
        if fenetre_du_scrutin(scrutin).phase() is not Phase.CLOS:
            continue
        try:
            closes.append(clore(scrutin))
        except ClotureRefusee:
            continue
    return closes
