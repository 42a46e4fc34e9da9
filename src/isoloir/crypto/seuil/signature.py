"""A key holder's Schnorr signature over the fingerprint of a bureau's seal
(``docs/protocol-seuil.md`` § 14).

Before the vote opens, the président and at least one délégué seal what the vote will run
on (software, roll, lists, window, key). They sign with the key share ``x_j`` the ceremony
gave them, so that anyone can check the signature against the public verification key
``Y_j = x_j·B``: no new key to distribute, and a signature is bound to one holder of one
ceremony. The challenge binds the key's fingerprint ``F``, the holder's index and ``Y_j``:
a signature is not reusable for another holder, another key or another message.
"""

import hashlib
from dataclasses import dataclass
from typing import Any, Self

from isoloir.crypto.bulletin import json_canonique
from isoloir.crypto.groupe import (
    Alea,
    OperationImpossible,
    add,
    base,
    est_neutre,
    est_point,
    est_scalaire_canonique,
    hacher_en_scalaire,
    scalaire_add,
    scalaire_mul,
)
from isoloir.crypto.seuil.ceremonie import CleSeuil
from isoloir.crypto.seuil.contexte import (
    _entier,
    _est_indice,
    _fois,
    _fois_b,
    _objet,
    _octets,
)

ETIQUETTE_SCELLEMENT = "isoloir/v1/seuil/scellement"


def empreinte_du_contenu(contenu: object) -> bytes:
    """``m = SHA-256(UTF-8(JSON canonique du contenu))``: keys sorted at every level, no
    whitespace, non-ASCII characters written as themselves (protocol.md § 5.4)."""
    return hashlib.sha256(json_canonique(contenu, ascii=False).encode("utf-8")).digest()


@dataclass(frozen=True)
class SignatureScellement:
    """Holder ``detenteur``'s signature: the commitment ``R = w·B`` and the response
    ``s = w + c·x_j``."""

    detenteur: int
    engagement: bytes
    reponse: bytes

    def vers_dict(self) -> dict[str, Any]:
        return {
            "detenteur": self.detenteur,
            "engagement": self.engagement.hex(),
            "reponse": self.reponse.hex(),
        }

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "signature") -> Self:
        o = _objet(d, {"detenteur", "engagement", "reponse"}, ou)
        return cls(
            detenteur=_entier(o["detenteur"], f"{ou}.detenteur"),
            engagement=_octets(o["engagement"], 32, f"{ou}.engagement"),
            reponse=_octets(o["reponse"], 32, f"{ou}.reponse"),
        )


def defi_scellement(
    cle: CleSeuil, j: int, y_j: bytes, engagement: bytes, empreinte: bytes
) -> bytes:
    """``c = Hs("isoloir/v1/seuil/scellement", F, j, Y_j, R, m)``."""
    return hacher_en_scalaire(ETIQUETTE_SCELLEMENT, cle.empreinte, j, y_j, engagement, empreinte)


def signer_scellement(
    cle: CleSeuil, detenteur: int, x: bytes, empreinte: bytes, alea: Alea
) -> SignatureScellement:
    """Holder ``detenteur`` signs ``empreinte`` with its share ``x``: one draw (``w``).
    ValueError if ``x`` is not the share whose public key is ``Y_j``."""
    y_j = cle.cle_de_verification(detenteur)
    if not isinstance(x, bytes) or not est_scalaire_canonique(x) or _fois_b(x) != y_j:
        raise ValueError(f"x is not the key share of holder {detenteur}")
    if not isinstance(empreinte, bytes):
        raise TypeError("the signed fingerprint is bytes")
    w = alea.scalaire()
    engagement = base(w)
    c = defi_scellement(cle, detenteur, y_j, engagement, empreinte)
    return SignatureScellement(
        detenteur=detenteur, engagement=engagement, reponse=scalaire_add(w, scalaire_mul(c, x))
    )


def verifier_signature_scellement(
    cle: CleSeuil, signature: SignatureScellement, empreinte: bytes
) -> bool:
    """Public data only. In this order: the index is a holder of the key; ``R`` is a valid
    non-identity point and ``s`` a reduced scalar; ``Y_j`` is not the identity; then
    ``s·B = R + c·Y_j`` with ``c`` the challenge above."""
    j = signature.detenteur
    if not _est_indice(j, cle.contexte.nombre) or not isinstance(empreinte, bytes):
        return False
    r, s = signature.engagement, signature.reponse
    if not (isinstance(r, bytes) and est_point(r)):
        return False
    if not (isinstance(s, bytes) and est_scalaire_canonique(s)):
        return False
    y_j = cle.cle_de_verification(j)
    if est_neutre(y_j):
        return False
    c = defi_scellement(cle, j, y_j, r, empreinte)
    try:
        attendu = add(r, _fois(c, y_j))
    except OperationImpossible:
        return False
    return _fois_b(s) == attendu
