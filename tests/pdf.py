"""Reading back the text of a PDF the product made, as a person would see it."""

import subprocess
from pathlib import Path


def texte_du_pdf(contenu: bytes, dossier: Path) -> str:
    """The PDF's text laid out as on the page (poppler's pdftotext)."""
    fichier = dossier / "document.pdf"
    fichier.write_bytes(contenu)
    return subprocess.run(
        ["pdftotext", "-layout", str(fichier), "-"], capture_output=True, check=True, text=True
    ).stdout
