"""Reads of the claims that other apps need."""

from collections.abc import Iterable

from django.db.models import Q

from isoloir.elections.inscriptions_decidees import Decision
from isoloir.reclamations.models import Reclamation, StatutReclamation, TypeReclamation


def reclamations_qui_ont_inscrit(scrutin_ids: Iterable[int]) -> dict[tuple[int, int], Reclamation]:
    """(voter, scrutin) -> the latest accepted claim that put this voter on the roll of
    one of these scrutins: an omission (with or without an account) on its scrutin, a
    wrong scrutin on the one the administrator chose (``scrutin_souhaite``, set when
    accepting). An identity claim puts nobody on a roll.

    The roll import asks this before a file from HR removes such a line: HR's systems
    know nothing of the claim (import_liste/comparaison.py).
    """
    ids = list(scrutin_ids)
    acceptees = (
        Reclamation.objects.filter(statut=StatutReclamation.ACCEPTEE, electeur__isnull=False)
        .filter(
            Q(type=TypeReclamation.OMISSION, scrutin_id__in=ids)
            | Q(sans_compte=True, scrutin_id__in=ids)
            | Q(
                type=TypeReclamation.MAUVAIS_SCRUTIN, sans_compte=False, scrutin_souhaite_id__in=ids
            )
        )
        .select_related("campagne")
        .order_by("decide_le", "pk")
    )
    resultat: dict[tuple[int, int], Reclamation] = {}
    for reclamation in acceptees:
        assert reclamation.electeur_id is not None
        scrutin_id = (
            reclamation.scrutin_souhaite_id
            if reclamation.type == TypeReclamation.MAUVAIS_SCRUTIN and not reclamation.sans_compte
            else reclamation.scrutin_id
        )
        if scrutin_id is not None:
            # In order of decision: the latest claim on a line is the one to show.
            resultat[(reclamation.electeur_id, scrutin_id)] = reclamation
    return resultat


def decisions_qui_ont_inscrit(scrutin_ids: list[int]) -> dict[tuple[int, int], Decision]:
    """The claims of :func:`reclamations_qui_ont_inscrit` as the roll import reads them,
    registered with elections (elections/inscriptions_decidees.py, reclamations/apps.py)."""
    decisions = {}
    for cle, reclamation in reclamations_qui_ont_inscrit(scrutin_ids).items():
        assert reclamation.decide_le is not None  # accepted
        decisions[cle] = Decision(
            pk=reclamation.pk, reference=reclamation.reference, decide_le=reclamation.decide_le
        )
    return decisions
