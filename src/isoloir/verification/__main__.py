"""``python -m isoloir.verification ARCHIVE``: the verifier on its own.

No Django, no settings, no database: anybody holding the public archive and this
open-source code runs every check of docs/verification.md. Same output and exit code as
``isoloir verify`` (0 if everything holds, 1 otherwise; the summary on the standard error
when a check fails).
"""

import argparse
import sys
from collections.abc import Sequence

from isoloir.verification import verifier_archive


def main(arguments: Sequence[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(
        prog="python -m isoloir.verification",
        description=(
            "Vérifie l'archive publique d'une élection, sans base de données ni Django : "
            "manifestes, cérémonie des clés, scellement, bulletins, tableau d'affichage, "
            "sommes, parts de déchiffrement, résultat et sièges. Code de sortie 0 si tout "
            "est conforme, 1 sinon."
        ),
    )
    analyseur.add_argument("archive", help="le fichier ZIP de l'archive publique")
    analyseur.add_argument(
        "--echecs-seulement",
        action="store_true",
        help="n'afficher que les contrôles en échec",
    )
    options = analyseur.parse_args(arguments)
    rapport = verifier_archive(options.archive)
    for ligne in rapport.lignes(echecs_seulement=options.echecs_seulement):
        print(ligne)
    if not rapport.ok:
        print(rapport.resume(), file=sys.stderr)
        return 1
    print(rapport.resume())
    return 0


if __name__ == "__main__":
    sys.exit(main())
