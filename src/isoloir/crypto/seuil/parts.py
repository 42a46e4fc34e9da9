"""Shares travel encrypted to the recipient's communication key; a complaint reveals the
Diffie-Hellman secret of one share, with its proof."""

from dataclasses import dataclass, fields
from typing import Any, Self

import pysodium

from isoloir.crypto.groupe import (
    Alea,
    base,
    est_point,
    est_scalaire_canonique,
    message_hache,
    mul,
)
from isoloir.crypto.seuil.contexte import (
    ETIQUETTE_PART,
    ETIQUETTE_PART_CLE,
    ETIQUETTE_PART_NONCE,
    ETIQUETTE_PLAINTE,
    TAILLE_PART_CHIFFREE,
    Contexte,
    PartIndechiffrable,
    PreuveEgalite,
    _blake2b,
    _entier,
    _est_indice,
    _fois_b,
    _objet,
    _octets,
    _prouver_egalite,
)

# --- Share encryption --------------------------------------------------------------------


def _champs_vers_dict(objet: Any) -> dict[str, Any]:
    """A dataclass's fields in declaration order: integers as is, bytes in hexadecimal,
    a proof by its own ``vers_dict``."""
    valeurs = ((f.name, getattr(objet, f.name)) for f in fields(objet))
    return {
        nom: v.hex() if isinstance(v, bytes) else v if isinstance(v, int) else v.vers_dict()
        for nom, v in valeurs
    }


@dataclass(frozen=True)
class PartChiffree:
    """The share ``s_ij`` from dealer ``i`` (emetteur) to holder ``j`` (destinataire):
    ephemeral point ``E = e·B`` and the AEAD ciphertext (48 bytes)."""

    emetteur: int
    destinataire: int
    ephemere: bytes
    chiffre: bytes

    def vers_dict(self) -> dict[str, Any]:
        return _champs_vers_dict(self)

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "part") -> Self:
        o = _objet(d, {"emetteur", "destinataire", "ephemere", "chiffre"}, ou)
        return cls(
            emetteur=_entier(o["emetteur"], f"{ou}.emetteur"),
            destinataire=_entier(o["destinataire"], f"{ou}.destinataire"),
            ephemere=_octets(o["ephemere"], 32, f"{ou}.ephemere"),
            chiffre=_octets(o["chiffre"], TAILLE_PART_CHIFFREE, f"{ou}.chiffre"),
        )


def donnees_associees(contexte: Contexte, emetteur: int, destinataire: int) -> bytes:
    """The AEAD's associated data: ``enc("isoloir/v1/seuil/part") ‖ enc(H_ctx) ‖ enc(i) ‖
    enc(j)``. A share cannot be moved to another ceremony, dealer or recipient."""
    return message_hache(ETIQUETTE_PART, contexte.empreinte, emetteur, destinataire)


def cle_et_nonce(ephemere: bytes, cle_destinataire: bytes, secret: bytes) -> tuple[bytes, bytes]:
    """The AEAD key ``BLAKE2b-256(enc("isoloir/v1/seuil/part-cle") ‖ enc(E) ‖ enc(Z_j) ‖
    enc(K))`` and nonce ``BLAKE2b-192(enc("isoloir/v1/seuil/part-nonce") ‖ enc(E) ‖
    enc(Z_j))``, ``K = e·Z_j = z_j·E`` being the Diffie-Hellman secret. The key is fresh
    for each ephemeral ``e``: the nonce never meets the same key twice."""
    cle = _blake2b(message_hache(ETIQUETTE_PART_CLE, ephemere, cle_destinataire, secret), 32)
    nonce = _blake2b(message_hache(ETIQUETTE_PART_NONCE, ephemere, cle_destinataire), 24)
    return cle, nonce


def chiffrer_part(
    contexte: Contexte, emetteur: int, destinataire: int, part: bytes, alea: Alea
) -> PartChiffree:
    """Encrypts the scalar ``part`` to holder ``destinataire``'s communication key: one
    draw (the ephemeral ``e``)."""
    if not _est_indice(emetteur, contexte.nombre):
        raise ValueError(f"no holder {emetteur!r} to send a share")
    if not est_scalaire_canonique(part):
        raise ValueError("a share is a reduced 32-byte scalar")
    cle_destinataire = contexte.cle_communication(destinataire)
    e = alea.scalaire()
    ephemere = base(e)
    cle, nonce = cle_et_nonce(ephemere, cle_destinataire, mul(e, cle_destinataire))
    chiffre = pysodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        part, donnees_associees(contexte, emetteur, destinataire), nonce, cle
    )
    return PartChiffree(
        emetteur=emetteur, destinataire=destinataire, ephemere=ephemere, chiffre=bytes(chiffre)
    )


def ouvrir_part(contexte: Contexte, part: PartChiffree, secret: bytes) -> bytes:
    """The share inside ``part``, from the Diffie-Hellman secret ``K`` (what a complaint
    reveals). :class:`PartIndechiffrable` if it does not open to a reduced scalar."""
    if (
        not _est_indice(part.emetteur, contexte.nombre)
        or not isinstance(part.chiffre, bytes)
        or len(part.chiffre) != TAILLE_PART_CHIFFREE
        or not est_point(part.ephemere)
    ):
        raise PartIndechiffrable("malformed encrypted share")
    cle, nonce = cle_et_nonce(part.ephemere, contexte.cle_communication(part.destinataire), secret)
    try:
        clair = bytes(
            pysodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                part.chiffre,
                donnees_associees(contexte, part.emetteur, part.destinataire),
                nonce,
                cle,
            )
        )
    except ValueError as erreur:
        raise PartIndechiffrable(
            f"share from holder {part.emetteur} to holder {part.destinataire} does not open"
        ) from erreur
    if not est_scalaire_canonique(clair):
        raise PartIndechiffrable("the share is not a reduced scalar")
    return clair


def _secret_partage(contexte: Contexte, part: PartChiffree, z: bytes) -> bytes:
    if not _est_indice(part.destinataire, contexte.nombre):
        raise ValueError("no such recipient")
    if _fois_b(z) != contexte.cle_communication(part.destinataire):
        raise ValueError(f"z is not the communication key of holder {part.destinataire}")
    if not est_point(part.ephemere):
        raise PartIndechiffrable("the ephemeral point is not a valid, non-identity point")
    return mul(z, part.ephemere)


def dechiffrer_part(contexte: Contexte, part: PartChiffree, z: bytes) -> bytes:
    """The share sent to the holder whose communication private key is ``z``."""
    return ouvrir_part(contexte, part, _secret_partage(contexte, part, z))


# --- Complaints --------------------------------------------------------------------------


@dataclass(frozen=True)
class Plainte:
    """Holder ``plaignant`` says the share of dealer ``accuse`` is bad, and reveals the
    Diffie-Hellman secret ``K = z_j·E`` of that share, with the proof that
    ``log_B(Z_j) = log_E(K)``: anybody can then open the share and judge."""

    plaignant: int
    accuse: int
    secret: bytes
    preuve: PreuveEgalite

    def vers_dict(self) -> dict[str, Any]:
        return _champs_vers_dict(self)

    @classmethod
    def depuis_dict(cls, d: object, ou: str = "plainte") -> Self:
        o = _objet(d, {"plaignant", "accuse", "secret", "preuve"}, ou)
        return cls(
            plaignant=_entier(o["plaignant"], f"{ou}.plaignant"),
            accuse=_entier(o["accuse"], f"{ou}.accuse"),
            secret=_octets(o["secret"], 32, f"{ou}.secret"),
            preuve=PreuveEgalite.depuis_dict(o["preuve"], f"{ou}.preuve"),
        )


def _prefixe_plainte(contexte: Contexte, part: PartChiffree, secret: bytes) -> list[bytes | int]:
    """``H_ctx, i, j, Z_j, E, chiffré, K``: the complaint's challenge hashes the whole
    encrypted share it opens."""
    return [
        contexte.empreinte,
        part.emetteur,
        part.destinataire,
        contexte.cle_communication(part.destinataire),
        part.ephemere,
        part.chiffre,
        secret,
    ]


def porter_plainte(contexte: Contexte, part: PartChiffree, z: bytes, alea: Alea) -> Plainte:
    """The complaint of ``part``'s recipient (private key ``z``) against its dealer: one
    draw (``w``)."""
    secret = _secret_partage(contexte, part, z)
    preuve = _prouver_egalite(
        ETIQUETTE_PLAINTE,
        _prefixe_plainte(contexte, part, secret),
        z,
        part.ephemere,
        alea.scalaire(),
    )
    return Plainte(plaignant=part.destinataire, accuse=part.emetteur, secret=secret, preuve=preuve)
