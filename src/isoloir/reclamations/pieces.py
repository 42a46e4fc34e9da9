"""Checking a claim's attachments: what a file is, by its first bytes, not by its name.

A file called ``bulletin.pdf`` holding HTML or an executable is refused: the claimant's
name and declared type are never trusted, and the stored file is served back with the
type found here, as a download.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_PIECES = 3
TAILLE_MAX = 5 * 1024 * 1024  # 5 Mo
# The largest claim form a browser can legitimately send: three files at the limit plus
# the text fields and multipart overhead. Checked on the declared length, before Django
# reads the body: the per-file checks below only run once the whole upload is spooled.
TAILLE_MAX_ENVOI = MAX_PIECES * TAILLE_MAX + 1024 * 1024  # 16 Mo

# (first bytes, MIME type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class PieceVerifiee:
    fichier: UploadedFile
    nom: str
    type_mime: str
    taille: int


def reconnaitre(entete: bytes) -> tuple[str, str] | None:
    """The MIME type and extension the first bytes announce, or None."""
    for signature, type_mime, extension in SIGNATURES:
        if entete.startswith(signature):
            return type_mime, extension
    return None


def nom_affichable(nom: str, extension: str) -> str:
    """The claimant's file name reduced to letters, digits, dashes and dots, with the
    extension of what the file really is; only ever shown, never used as a path."""
    base = unicodedata.normalize("NFKD", nom.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    base = base.encode("ascii", "ignore").decode()
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base)
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-_")[:80]
    return f"{base or 'piece-jointe'}.{extension}"


def verifier(fichier: UploadedFile) -> PieceVerifiee:
    nom = fichier.name or "fichier"
    if fichier.size is None or fichier.size == 0:
        raise ValidationError(f"Le fichier « {nom} » est vide.", code="vide")
    if fichier.size > TAILLE_MAX:
        raise ValidationError(
            f"Le fichier « {nom} » dépasse 5 Mo : réduisez-le ou numérisez-le en "
            "résolution plus faible.",
            code="taille",
        )
    fichier.seek(0)
    entete = fichier.read(8)
    fichier.seek(0)
    reconnu = reconnaitre(entete)
    if reconnu is None:
        raise ValidationError(
            f"Le fichier « {nom} » n'est ni un PDF, ni une image JPEG ou PNG.", code="type"
        )
    type_mime, extension = reconnu
    return PieceVerifiee(
        fichier=fichier,
        nom=nom_affichable(nom, extension),
        type_mime=type_mime,
        taille=fichier.size,
    )


def verifier_toutes(fichiers: list[UploadedFile]) -> list[PieceVerifiee]:
    if len(fichiers) > MAX_PIECES:
        raise ValidationError(
            f"Joignez au plus {MAX_PIECES} fichiers ({len(fichiers)} reçus).", code="nombre"
        )
    erreurs: list[ValidationError] = []
    pieces: list[PieceVerifiee] = []
    for fichier in fichiers:
        try:
            pieces.append(verifier(fichier))
        except ValidationError as erreur:
            erreurs.append(erreur)
    if erreurs:
        raise ValidationError(erreurs)
    return pieces
