"""Appending to and checking the hash-chained security journal (D11)."""

import hashlib
import json
from datetime import UTC
from typing import Any

from django.db import transaction

from isoloir.audit.models import Evenement, TeteDuJournal
from isoloir.core import horloge

GENESE = "0" * 64


def _empreinte(precedente: str, contenu: dict[str, Any]) -> str:
    canonique = json.dumps(contenu, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{precedente}\n{canonique}".encode()).hexdigest()


def _contenu(evenement: Evenement) -> dict[str, Any]:
    return {
        # In UTC whatever the clock's zone, so that the hash computed at writing is the one
        # recomputed from what the database gives back.
        "horodatage": evenement.horodatage.astimezone(UTC).isoformat(),
        "type": evenement.type,
        "compte_id": evenement.compte_id,
        "ip": evenement.ip,
        "details": evenement.details,
    }


def journaliser(
    type: str, *, compte_id: int | None = None, ip: str = "", **details: Any
) -> Evenement:
    """Append one event. Joins the caller's transaction, if any, so that an event is
    journaled exactly when what it describes is committed."""
    with transaction.atomic():
        tete, _ = TeteDuJournal.objects.select_for_update().get_or_create(
            pk=1, defaults={"empreinte": GENESE}
        )
        evenement = Evenement(
            horodatage=horloge.maintenant(), type=type, compte_id=compte_id, ip=ip, details=details
        )
        evenement.empreinte_precedente = tete.empreinte
        evenement.empreinte = _empreinte(tete.empreinte, _contenu(evenement))
        evenement.save()
        tete.empreinte = evenement.empreinte
        tete.save(update_fields=["empreinte"])
    return evenement


def verifier_chaine() -> int | None:
    """Return the id of the first event whose hash does not follow, or None if intact."""
    precedente = GENESE
    for evenement in Evenement.objects.order_by("id").iterator(chunk_size=2000):
        attendue = _empreinte(precedente, _contenu(evenement))
        if evenement.empreinte_precedente != precedente or evenement.empreinte != attendue:
            return evenement.id
        precedente = evenement.empreinte
    return None
