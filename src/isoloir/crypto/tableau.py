"""The public board of a scrutin: its current fingerprint and the chained statements.

Protocol § 7. The board lists trackers sorted, never in arrival order (which would tie a
ballot to the time of a signature on the roll); a statement chains the previous one, so
an observer who kept one can check that no ballot has gone missing since.
"""

import hashlib
import re
from collections.abc import Iterable

ETIQUETTE_TABLEAU = "isoloir/v1/tableau"
PREMIER_PRECEDENT = "0" * 64

_TRACEUR = re.compile(r"[A-Za-z0-9_-]{43}")
_HEX = re.compile(r"[0-9a-f]{64}")


def _sha256_lignes(lignes: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(lignes).encode("utf-8")).hexdigest()


def empreinte_tableau(scrutin: str, traceurs: Iterable[str]) -> str:
    """SHA-256 (hex) of ``isoloir/v1/tableau``, σ, n, t₁ … tₙ joined by ``\\n``, the
    trackers sorted by their ASCII bytes (done here: the caller's order never matters)."""
    tries = sorted(traceurs)
    for t in tries:
        if not _TRACEUR.fullmatch(t):
            raise ValueError(f"not a tracker: {t!r}")
    return _sha256_lignes([ETIQUETTE_TABLEAU, scrutin, str(len(tries)), *tries])


def releve(precedent: str | None, numero: int, empreinte: str) -> str:
    """``relevé_k`` = SHA-256 (hex) of relevé_{k−1}, k, the board's fingerprint, joined by
    ``\\n``. Statements are numbered from 1; the first (and only it) has no predecessor and
    chains to 64 zeros.

    The number of ballots n is deliberately not an input: relevés are published during the
    vote, and with n among the hashed lines anyone could recompute it by trying 0, 1, 2, …
    (n is the number of émargements, which only the bureau may see). The fingerprint
    already commits to n."""
    if numero < 1:
        raise ValueError("statements are numbered from 1")
    if (precedent is None) != (numero == 1):
        raise ValueError("the first statement, and only it, has no predecessor")
    if not _HEX.fullmatch(empreinte) or (precedent is not None and not _HEX.fullmatch(precedent)):
        raise ValueError("fingerprints are 64 lowercase hexadecimal digits")
    chaine = PREMIER_PRECEDENT if precedent is None else precedent
    return _sha256_lignes([chaine, str(numero), empreinte])
