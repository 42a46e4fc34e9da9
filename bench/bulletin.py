"""The encrypted ballot's costs, as ratios against raw libsodium in the same process.

    .venv/bin/python bench/bulletin.py [--repetitions 200] [--bulletins 10000]

For a scrutin of 7 choices (blank + 6 lists):

- the server's strict reading (``verifier_bulletin``) against exactly the scalar
  multiplications it needs, called straight through pysodium: per choice 2 with the base
  point and 6 with another point, plus 1 and 3 for the sum proof. What is left is parsing,
  hashing, point additions and Python;
- the booth's work (``creer_bulletin``, run here in Python) against its own multiplications:
  per choice 3 base and 5 variable-base, plus 1 and 1 for the sum proof;
- the tally: homomorphic sum of the ciphertexts of ``--bulletins`` ballots, choice by
  choice, then decryption of each choice's count (baby-step giant-step up to that number).
"""

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pysodium
from outils import mediane  # bench/ is the script's own folder

CHOIX = 7
# Counted from isoloir.crypto.bulletin (verifier_preuve_choix, verifier_preuve_somme).
VERIFICATION_BASE = 2 * CHOIX + 1
VERIFICATION_VARIABLE = 6 * CHOIX + 3
# Counted from chiffrer, prouver_choix and prouver_somme.
CREATION_BASE = 3 * CHOIX + 1
CREATION_VARIABLE = 5 * CHOIX + 1


def _multiplications(nombre_base: int, nombre_variable: int) -> Callable[[], None]:
    """A call doing exactly that many raw libsodium scalar multiplications."""
    scalaires = [pysodium.crypto_core_ristretto255_scalar_random() for _ in range(64)]
    points = [pysodium.crypto_core_ristretto255_random() for _ in range(64)]

    def faire() -> None:
        for n in range(nombre_base):
            pysodium.crypto_scalarmult_ristretto255_base(scalaires[n % 64])
        for n in range(nombre_variable):
            pysodium.crypto_scalarmult_ristretto255(scalaires[n % 64], points[(n * 7) % 64])

    return faire


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--bulletins", type=int, default=10_000)
    args = parser.parse_args()

    # No Django here: the crypto package is pure, only its folder is needed on the path.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from isoloir.crypto import elgamal
    from isoloir.crypto.bulletin import VOTE_BLANC, creer_bulletin, manifeste, verifier_bulletin
    from isoloir.crypto.cles import generer_cle
    from isoloir.crypto.groupe import AleaSysteme

    alea = AleaSysteme()
    x, y = generer_cle(alea)
    m = manifeste(
        campagne="banc",
        scrutin="csa-banc",
        intitule="Banc d'essai",
        choix=[VOTE_BLANC, "FSU", "UNSA Éducation", "SGEN-CFDT", "SNALC", "FO", "SUD"],
        cle_publique=y,
        origine_cle="developpement",
        ouverture=datetime(2026, 12, 1, 8, tzinfo=UTC),
        cloture=datetime(2026, 12, 8, 16, tzinfo=UTC),
    )
    texte = creer_bulletin(m, 3, alea)

    t_verif = mediane(lambda: verifier_bulletin(texte, m), args.repetitions)
    t_brut_verif = mediane(
        _multiplications(VERIFICATION_BASE, VERIFICATION_VARIABLE), args.repetitions
    )
    print(
        f"Vérification d'un bulletin ({CHOIX} choix) : {t_verif * 1000:.2f} ms "
        f"({1 / t_verif:,.0f} bulletins/s sur un cœur) ; ses {VERIFICATION_BASE} + "
        f"{VERIFICATION_VARIABLE} multiplications seules : {t_brut_verif * 1000:.2f} ms, "
        f"ratio {t_verif / t_brut_verif:.2f}"
    )
    t_creation = mediane(lambda: creer_bulletin(m, 3, alea), args.repetitions)
    t_brut_creation = mediane(_multiplications(CREATION_BASE, CREATION_VARIABLE), args.repetitions)
    print(
        f"Création d'un bulletin (Python) : {t_creation * 1000:.2f} ms ; ses "
        f"{CREATION_BASE} + {CREATION_VARIABLE} multiplications seules : "
        f"{t_brut_creation * 1000:.2f} ms, ratio {t_creation / t_brut_creation:.2f}"
    )

    # A few real ballots, their ciphertexts reused in turn: an addition costs the same
    # whatever the points, and drawing 10,000 ballots would measure the booth, not the tally.
    modeles = [verifier_bulletin(creer_bulletin(m, n % CHOIX, alea), m) for n in range(50)]
    urne = [modeles[n % len(modeles)].chiffres for n in range(args.bulletins)]
    debut = time.perf_counter()
    sommes = [elgamal.somme(chiffres[j] for chiffres in urne) for j in range(CHOIX)]
    t_somme = time.perf_counter() - debut
    debut = time.perf_counter()
    decompte = [elgamal.dechiffrer(x, s, args.bulletins) for s in sommes]
    t_dechiffrement = time.perf_counter() - debut
    assert sum(decompte) == args.bulletins
    t_addition = mediane(
        lambda: pysodium.crypto_core_ristretto255_add(modeles[0].alpha0, modeles[1].alpha0), 2000
    )
    additions = 2 * CHOIX * (args.bulletins - 1)
    print(
        f"Somme homomorphe de {args.bulletins:,} bulletins : {t_somme:.2f} s "
        f"({args.bulletins / t_somme:,.0f} bulletins/s ; {additions:,} additions à "
        f"{t_addition * 1e6:.1f} µs brutes = {additions * t_addition:.2f} s, "
        f"ratio {t_somme / (additions * t_addition):.2f})"
    )
    print(
        f"Déchiffrement des {CHOIX} décomptes (jusqu'à {args.bulletins:,}) : "
        f"{t_dechiffrement * 1000:.0f} ms ; somme + déchiffrement : "
        f"{args.bulletins / (t_somme + t_dechiffrement):,.0f} bulletins/s"
    )


if __name__ == "__main__":
    main()
