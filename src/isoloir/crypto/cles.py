"""The election key (protocol § 3): a drawn scalar ``x`` and ``Y = x·B``, one per scrutin."""

from isoloir.crypto.groupe import Alea, base


def generer_cle(alea: Alea) -> tuple[bytes, bytes]:
    """``(x, Y)``: one draw from ``alea``, nothing else, so that a seeded source gives the
    key of the test vectors."""
    x = alea.scalaire()
    return x, base(x)
