"""The development ceremony's private keys, read back by tests only: the server never
reads them (isoloir.booth.cles)."""

import json

from isoloir.booth.cles import dossier_des_cles_de_developpement
from isoloir.elections.models import Scrutin


def cle_privee_de_developpement(scrutin: Scrutin) -> bytes:
    chemin = dossier_des_cles_de_developpement() / scrutin.campagne.slug / f"{scrutin.code}.json"
    return bytes.fromhex(json.loads(chemin.read_text())["cle_privee"])
