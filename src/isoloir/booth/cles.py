"""The election key of each scrutin and the manifest the booth encrypts against.

Until the bureau de vote's key ceremony exists, a *development* ceremony draws each
scrutin's key on the operator's machine: the public key goes to the database, the private
key to a file outside it, which the server never reads. Such a key is marked in the
manifest and refused in production (docs/protocol.md § 8).
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction

from isoloir.booth.models import CleDeScrutin, OrigineCle
from isoloir.core import horloge
from isoloir.crypto import cles
from isoloir.crypto.bulletin import VOTE_BLANC, Manifeste, manifeste
from isoloir.crypto.groupe import AleaSysteme
from isoloir.elections.models import Campagne, Scrutin


class CeremonieRefusee(Exception):
    pass


def dossier_des_cles_de_developpement() -> Path:
    return Path(settings.DATA_DIR) / "cles-developpement"


def ceremonie_de_developpement(campagne: Campagne) -> list[Scrutin]:
    """Give every scrutin of the campaign without a key, and without a bureau de vote to
    make one, a development key. Returns the
    scrutins keyed now. Each private key is written, mode 0600, before its public key is
    published, so that no published key is ever without its private half."""
    if settings.PRODUCTION:
        raise CeremonieRefusee(
            "La cérémonie de développement est refusée en production : la clé de "
            "l'élection doit venir de la cérémonie du bureau de vote."
        )
    dossier = dossier_des_cles_de_developpement() / campagne.slug
    dossier.mkdir(parents=True, exist_ok=True, mode=0o700)
    cles_posees = []
    # A scrutin counted by a bureau de vote gets its key from that bureau's ceremony only.
    sans_cle = campagne.scrutins.filter(cle__isnull=True, rattachement_au_bureau__isnull=True)
    for scrutin in sans_cle.order_by("ordre", "pk"):
        privee, publique = cles.generer_cle(AleaSysteme())
        chemin = dossier / f"{scrutin.code}.json"
        descripteur = os.open(chemin, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descripteur, "w") as fichier:
            json.dump(
                {
                    "avertissement": "Clé de DÉVELOPPEMENT : jamais pour une vraie élection.",
                    "scrutin": scrutin.code,
                    "cle_privee": privee.hex(),
                    "cle_publique": publique.hex(),
                },
                fichier,
                indent=2,
            )
        with transaction.atomic():
            CleDeScrutin.objects.create(
                scrutin=scrutin,
                cle_publique=publique.hex(),
                origine=OrigineCle.DEVELOPPEMENT,
                publiee_le=horloge.maintenant(),
            )
        cles_posees.append(scrutin)
    return cles_posees


def manifeste_du_scrutin(scrutin: Scrutin) -> Manifeste | None:
    """What the voter votes on, as of now; None while the scrutin has no key."""
    cle = CleDeScrutin.objects.filter(scrutin=scrutin).first()
    if cle is None:
        return None
    ouverture, cloture = scrutin.fenetre
    return manifeste(
        campagne=scrutin.campagne.slug,
        scrutin=scrutin.code,
        intitule=scrutin.intitule,
        choix=[VOTE_BLANC, *scrutin.listes.order_by("ordre").values_list("sigle", flat=True)],
        cle_publique=bytes.fromhex(cle.cle_publique),
        origine_cle=cle.origine,
        ouverture=ouverture,
        cloture=cloture,
    )
