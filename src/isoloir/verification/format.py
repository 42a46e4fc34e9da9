"""The layout of an election's public archive, shared by the server that writes it
(``isoloir.counting.archive``) and the verifier that reads it back (no Django here).

One ZIP file of canonical JSON (keys sorted, no whitespace, UTF-8) and JSON Lines:

- ``election.json``: the campaign, its bureaux and scrutins, each scrutin's manifest and
  lists of candidates;
- ``ceremonie/<bureau>.json``: the bureau's key ceremony, every public message;
- ``scellement/<bureau>.json``: the seal signed before the vote;
- ``urne/<scrutin>.jsonl``: the manifest, then the canonical ballots sorted by tracker
  (the same bytes as the board's public export after the closing);
- ``tableau/<scrutin>.json``: the board's chained statements and the closing's counts
  and fingerprints;
- ``depouillement/<scrutin>.json``: the encrypted sums, the decryption shares with their
  proofs, the seed of the drawing of lots and the result.
"""

import hashlib
import json
from typing import Any

FORMAT = "isoloir/archive"
VERSION = 1
ELECTION = "election.json"


def chemin_ceremonie(bureau: str) -> str:
    return f"ceremonie/{bureau}.json"


def chemin_scellement(bureau: str) -> str:
    return f"scellement/{bureau}.json"


def chemin_urne(scrutin: str) -> str:
    return f"urne/{scrutin}.jsonl"


def chemin_tableau(scrutin: str) -> str:
    return f"tableau/{scrutin}.json"


def chemin_depouillement(scrutin: str) -> str:
    return f"depouillement/{scrutin}.json"


def cle_de_bureau(identifiant: int) -> str:
    """A bureau's name in the archive: the one its ceremony's context already carries
    (``<campagne>/bureau-<id>``), so that the two can be checked against each other."""
    return f"bureau-{identifiant}"


def fichier_json(valeur: object) -> bytes:
    """Canonical JSON of one archive file, UTF-8, with a final newline."""
    texte = json.dumps(valeur, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (texte + "\n").encode("utf-8")


def ligne_de_manifeste(texte: str) -> str:
    """The first line of an urne's JSON Lines: what the board's export writes."""
    return json.dumps({"manifeste": texte})


def graine(empreinte_cle: str, sommes: list[dict[str, Any]]) -> str:
    """The seed of any drawing of lots for seats: SHA-256 of the key's fingerprint and
    the encrypted sums, fixed before any decryption (counting/depouillement.py)."""
    return hashlib.sha256(json.dumps([empreinte_cle, sommes], sort_keys=True).encode()).hexdigest()
