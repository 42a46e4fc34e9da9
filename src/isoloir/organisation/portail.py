"""How the portal presents itself, changed by the administration: its bloc-marque.

The marque names the administration that runs the elections; one portal serves one
administration, so it is the portal's, not a campaign's (core/presentation.py stores it).
"""

from collections.abc import Sequence

from django.db import transaction

from isoloir.audit.services import journaliser
from isoloir.core import presentation


def changer_la_marque(lignes: Sequence[str], *, compte_id: int | None, ip: str) -> tuple[str, ...]:
    """Store the marque and journal the change (before and after: public words, no
    personal data); return the lines the header now shows."""
    with transaction.atomic():
        avant = presentation.marque_du_portail()
        apres = presentation.enregistrer_marque(lignes)
        journaliser(
            "portail.marque_modifiee",
            compte_id=compte_id,
            ip=ip,
            avant=list(avant),
            apres=list(apres),
        )
    return apres
