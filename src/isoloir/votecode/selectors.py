"""Reads of the codes de vote that other pages need."""

from isoloir.accounts.models import Electeur
from isoloir.votecode.models import CodeDeVote


def code_de_vote_de(electeur: Electeur) -> CodeDeVote | None:
    """The metadata of the voter's current code (number, origin, date), never the code."""
    return (
        CodeDeVote.objects.filter(electeur=electeur)
        .only("generation", "origine", "emis_le", "electeur_id")
        .first()
    )
