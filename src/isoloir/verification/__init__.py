"""Verification of an election from its public archive alone (``isoloir verify``).

Pure Python over ``isoloir.crypto`` and ``isoloir.sieges``: no Django, no
database, so that anybody holding the archive and this open-source code can redo every
check (docs/verification.md).
"""

from isoloir.verification.rapport import Constat, Rapport
from isoloir.verification.verificateur import verifier_archive

__all__ = ["Constat", "Rapport", "verifier_archive"]
