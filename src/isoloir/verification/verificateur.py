"""``isoloir verify``: every check of an election redone from its public archive alone.

No database, no Django, nothing trusted from the server: the key is recomputed from the
ceremony's messages, each ballot's proofs are checked against the manifest, the board's
fingerprint, the encrypted sums, each decryption share's proof, the counts, the seed of
the drawing of lots and the seats are all recomputed and compared with what the archive
claims. Each finding says which file, which scrutin, which element, which holder or which
ballot tracker (docs/verification.md).

The checks go on after a failure wherever what they need is still sound, so that one
run lists every fault; a check whose input is missing is skipped, its cause being
reported already.

The checks live in one module per responsibility, each a set of functions over the
shared state of :mod:`.etat`: :mod:`.archive` (the ZIP and ``election.json``),
:mod:`.ceremonie` (manifests and key ceremonies), :mod:`.scellement` (seals),
:mod:`.urne` (ballots and bulletin board) and :mod:`.depouillement` (sums, shares,
result and seats); this module only runs them in order.
"""

from pathlib import Path

from isoloir.verification.archive import lire, lire_election, lire_fichiers
from isoloir.verification.ceremonie import verifier_ceremonie, verifier_manifeste
from isoloir.verification.depouillement import verifier_depouillement
from isoloir.verification.etat import _Etat
from isoloir.verification.rapport import Rapport
from isoloir.verification.scellement import verifier_scellement
from isoloir.verification.urne import verifier_tableau, verifier_urne


class _Verification:
    """The order of the checks: each one may use what the earlier ones established."""

    def __init__(self, chemin: Path) -> None:
        self.etat = _Etat(chemin)

    def executer(self) -> Rapport:
        etat = self.etat
        if not lire(etat) or not lire_election(etat):
            return etat.rapport
        lire_fichiers(etat)
        for s in etat.scrutins:
            verifier_manifeste(etat, s)
        for b in etat.bureaux:
            verifier_ceremonie(etat, b)
            verifier_scellement(etat, b)
        for s in etat.scrutins:
            verifier_urne(etat, s)
            verifier_tableau(etat, s)
            verifier_depouillement(etat, s)
        return etat.rapport


def verifier_archive(chemin: str | Path) -> Rapport:
    """Every check of docs/verification.md on one archive; :attr:`Rapport.ok` says
    whether all hold."""
    return _Verification(Path(chemin)).executer()
