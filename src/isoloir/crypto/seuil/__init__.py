"""The threshold key of a bureau de vote and the threshold decryption of the tally.

Protocol ``docs/protocol-seuil.md``. No dealer: each of the ``n`` key holders deals a
random polynomial of degree ``t − 1`` (Pedersen's distributed key generation, shares
checked against Feldman commitments, each constant term proven known by a Schnorr proof
so that nobody picks a rogue key). The election key is ``Y = Σ C_i0`` over the qualified
dealers; holder ``j`` keeps ``x_j = Σ f_i(j)``, and anyone computes ``Y_j = x_j·B`` from
the commitments. At the tally, any ``t`` holders publish ``D_j = x_j·α`` with a
Chaum-Pedersen proof, and anyone combines them with Lagrange coefficients at 0. Fewer than
``t`` holders, the server included, learn nothing of ``x = Σ a_i0``.

Shares travel encrypted to the recipient's communication key (ephemeral-static
Diffie-Hellman over ristretto255, then XChaCha20-Poly1305 from libsodium). A holder who
receives a bad share publishes a complaint that reveals the Diffie-Hellman secret of that
one share, with a proof: everybody can then open the share and judge the dealer.

Every group and scalar operation is one libsodium call; the only integers handled in
Python are the holders' small indices, turned into scalars.
"""

from .ceremonie import (
    CleSeuil,
    Distribution,
    Reception,
    cle_de_detenteur,
    distribuer,
    etablir_cle,
    evaluer_engagements,
    evaluer_polynome,
    plainte_fondee,
    qualifies,
    recevoir,
    verifier_distribution,
    verifier_part,
)
from .contexte import (
    ETIQUETTE_CLE,
    ETIQUETTE_CONNAISSANCE,
    ETIQUETTE_CONTEXTE,
    ETIQUETTE_DECHIFFREMENT,
    ETIQUETTE_PART,
    ETIQUETTE_PART_CLE,
    ETIQUETTE_PART_NONCE,
    ETIQUETTE_PLAINTE,
    MAX_DETENTEURS,
    MAX_IDENTIFIANT,
    TAILLE_CLE_AEAD,
    TAILLE_NONCE,
    TAILLE_PART_CHIFFREE,
    TAILLE_TAG,
    VERSION,
    CeremonieInvalide,
    Contexte,
    DechiffrementRefuse,
    ErreurSeuil,
    FormatInvalide,
    PartIndechiffrable,
    PreuveConnaissance,
    PreuveEgalite,
    TranscriptionInvalide,
    defi_connaissance,
    generer_cle_communication,
    verifier_preuve_connaissance,
)
from .dechiffrement import (
    PartDechiffrement,
    coefficient_lagrange,
    combiner,
    combiner_facteurs,
    dechiffrer_partiellement,
    verifier_part_dechiffrement,
)
from .parts import (
    PartChiffree,
    Plainte,
    chiffrer_part,
    cle_et_nonce,
    dechiffrer_part,
    donnees_associees,
    ouvrir_part,
    porter_plainte,
)
from .signature import (
    ETIQUETTE_SCELLEMENT,
    SignatureScellement,
    defi_scellement,
    empreinte_du_contenu,
    signer_scellement,
    verifier_signature_scellement,
)
from .transcription import (
    Depouillement,
    Transcription,
    verifier_depouillement,
    verifier_transcription,
)

__all__ = [
    "ETIQUETTE_CLE",
    "ETIQUETTE_CONNAISSANCE",
    "ETIQUETTE_CONTEXTE",
    "ETIQUETTE_DECHIFFREMENT",
    "ETIQUETTE_PART",
    "ETIQUETTE_PART_CLE",
    "ETIQUETTE_PART_NONCE",
    "ETIQUETTE_PLAINTE",
    "ETIQUETTE_SCELLEMENT",
    "MAX_DETENTEURS",
    "MAX_IDENTIFIANT",
    "TAILLE_CLE_AEAD",
    "TAILLE_NONCE",
    "TAILLE_PART_CHIFFREE",
    "TAILLE_TAG",
    "VERSION",
    "CeremonieInvalide",
    "CleSeuil",
    "Contexte",
    "DechiffrementRefuse",
    "Depouillement",
    "Distribution",
    "ErreurSeuil",
    "FormatInvalide",
    "PartChiffree",
    "PartDechiffrement",
    "PartIndechiffrable",
    "Plainte",
    "PreuveConnaissance",
    "PreuveEgalite",
    "Reception",
    "SignatureScellement",
    "Transcription",
    "TranscriptionInvalide",
    "chiffrer_part",
    "cle_de_detenteur",
    "cle_et_nonce",
    "coefficient_lagrange",
    "combiner",
    "combiner_facteurs",
    "dechiffrer_part",
    "dechiffrer_partiellement",
    "defi_connaissance",
    "defi_scellement",
    "distribuer",
    "donnees_associees",
    "empreinte_du_contenu",
    "etablir_cle",
    "evaluer_engagements",
    "evaluer_polynome",
    "generer_cle_communication",
    "ouvrir_part",
    "plainte_fondee",
    "porter_plainte",
    "qualifies",
    "recevoir",
    "signer_scellement",
    "verifier_depouillement",
    "verifier_distribution",
    "verifier_part",
    "verifier_part_dechiffrement",
    "verifier_preuve_connaissance",
    "verifier_signature_scellement",
    "verifier_transcription",
]
