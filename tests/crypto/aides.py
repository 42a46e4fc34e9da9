"""What the crypto tests share: a key, manifests of any size, hypothesis strategies."""

from datetime import UTC, datetime

from hypothesis import strategies as st

from isoloir.crypto.bulletin import VOTE_BLANC, Manifeste, manifeste
from isoloir.crypto.cles import generer_cle
from isoloir.crypto.groupe import AleaDeterministe, L, base, scalaire_de_entier

CLE_PRIVEE, CLE_PUBLIQUE = generer_cle(AleaDeterministe(b"tests/crypto/cle"))

LISTES = ["FSU", "UNSA Éducation", "SGEN-CFDT", "SNALC", "Force Ouvrière", "SUD Éducation"]


def un_manifeste(
    nombre_de_listes: int = 2, *, scrutin: str = "csa-men", cle_publique: bytes = CLE_PUBLIQUE
) -> Manifeste:
    listes = [LISTES[n] if n < len(LISTES) else f"Liste {n + 1}" for n in range(nombre_de_listes)]
    return manifeste(
        campagne="ep2026",
        scrutin=scrutin,
        intitule="CSA ministériel",
        choix=[VOTE_BLANC, *listes],
        cle_publique=cle_publique,
        origine_cle="developpement",
        ouverture=datetime(2026, 12, 1, 8, tzinfo=UTC),
        cloture=datetime(2026, 12, 8, 16, tzinfo=UTC),
    )


scalaires = st.integers(min_value=1, max_value=L - 1).map(scalaire_de_entier)
points = scalaires.map(base)
graines = st.binary(max_size=16)
