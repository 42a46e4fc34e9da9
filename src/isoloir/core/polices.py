"""The fonts of the product's PDFs, in one place: the notices and the vote receipt
(reportlab) and the procès-verbal (WeasyPrint) draw with the same files.

They are the system's DejaVu (Debian's fonts-dejavu-core): TrueType files that cover
French accents and that both libraries embed. The DSFR's Marianne is shipped with the
design system as WOFF and WOFF2 only, for the browser; reportlab reads TrueType alone.
Where the files are missing, reportlab falls back on its built-in fonts (not embedded)
and WeasyPrint on the faces the stylesheet names after ours.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DOSSIER = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Face:
    """One font file and what it is: its CSS weight and style, the name reportlab knows
    it by, and reportlab's built-in font that stands in when the file is missing."""

    fichier: str
    graisse: str  # CSS font-weight
    style: str  # CSS font-style
    nom: str
    secours: str

    @property
    def chemin(self) -> Path:
        return DOSSIER / self.fichier

    def presente(self) -> bool:
        return self.chemin.is_file()


TEXTE = Face("DejaVuSans.ttf", "normal", "normal", "DejaVu", "Helvetica")
TEXTE_GRAS = Face("DejaVuSans-Bold.ttf", "bold", "normal", "DejaVu-Gras", "Helvetica-Bold")
TEXTE_ITALIQUE = Face(
    "DejaVuSans-Oblique.ttf", "normal", "italic", "DejaVu-Italique", "Helvetica-Oblique"
)
MONO = Face("DejaVuSansMono.ttf", "normal", "normal", "DejaVu-Mono", "Courier")
MONO_GRAS = Face("DejaVuSansMono-Bold.ttf", "bold", "normal", "DejaVu-Mono-Gras", "Courier-Bold")
FACES = (TEXTE, TEXTE_GRAS, TEXTE_ITALIQUE, MONO, MONO_GRAS)


class Polices(NamedTuple):
    """The three fonts a reportlab page draws with, by the names to give ``setFont``."""

    texte: str
    gras: str
    mono: str


def polices() -> Polices:
    """The fonts of the reportlab PDFs (notices, receipt): DejaVu registered once per
    process, when the system has it; reportlab's built-in fonts otherwise. The code of a
    notice is printed in bold monospace, each character distinct."""
    faces = (TEXTE, TEXTE_GRAS, MONO_GRAS)
    if not all(face.presente() for face in faces):
        return Polices(*(face.secours for face in faces))
    connues = pdfmetrics.getRegisteredFontNames()
    for face in faces:
        if face.nom not in connues:
            pdfmetrics.registerFont(TTFont(face.nom, str(face.chemin)))
    return Polices(*(face.nom for face in faces))


def regles_font_face(familles: Iterable[tuple[str, Face]]) -> str:
    """``@font-face`` rules for WeasyPrint: each (CSS family, face) pair declares the face's
    file under that family, with its weight and style. A missing file is left out."""
    return "\n".join(
        f'@font-face {{ font-family: "{famille}"; font-weight: {face.graisse}; '
        f'font-style: {face.style}; src: url("{face.chemin.as_uri()}"); }}'
        for famille, face in familles
        if face.presente()
    )
