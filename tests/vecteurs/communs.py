"""What the two vector generators (:mod:`.protocole`, :mod:`.seuil`) share: where
their files live, how a file is written, the command line, and two small tools the
threshold tests reuse."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from isoloir.crypto.groupe import scalaire_add, scalaire_de_entier

REPERTOIRE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class FichierDeVecteurs:
    """A vectors file: what :func:`generer` returns, written at ``chemin_par_defaut``."""

    generer: Callable[[], dict[str, Any]]
    chemin_par_defaut: Path

    def texte(self) -> str:
        """The vectors file's exact content: pretty JSON, sorted keys, a final newline."""
        return json.dumps(self.generer(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def ecrire(self, chemin: Path | None = None) -> Path:
        chemin = self.chemin_par_defaut if chemin is None else chemin
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_text(self.texte(), encoding="utf-8")
        return chemin

    def main(self, arguments: Sequence[str] = ()) -> None:
        chemin = self.ecrire(Path(arguments[0]) if arguments else None)
        print(f"Vecteurs écrits : {chemin}")


class AleaFixe:
    """Gives back the scalars it is given, in order (to re-encrypt with a known ``e``)."""

    def __init__(self, *scalaires: bytes) -> None:
        self.reste = list(scalaires)

    def scalaire(self) -> bytes:
        return self.reste.pop(0)


def bit_255(point: bytes) -> bytes:
    """A point's encoding with its top bit set: the same point to a lax decoder (Debian's
    libsodium 1.0.18), no encoding at all to RFC 9496 and to the protocol (§ 1)."""
    return point[:31] + bytes([point[31] | 0x80])


def plus_un(s: bytes) -> bytes:
    """``s + 1`` modulo ℓ: the smallest change that makes a share or a proof wrong."""
    return scalaire_add(s, scalaire_de_entier(1))
