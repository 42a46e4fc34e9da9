"""Reading back a PDF the product made: its text, as a person would see it, and its fonts."""

import subprocess
from pathlib import Path


def texte_du_pdf(contenu: bytes, dossier: Path) -> str:
    """The PDF's text laid out as on the page (poppler's pdftotext)."""
    fichier = dossier / "document.pdf"
    fichier.write_bytes(contenu)
    return subprocess.run(
        ["pdftotext", "-layout", str(fichier), "-"], capture_output=True, check=True, text=True
    ).stdout


def polices_du_pdf(contenu: bytes, dossier: Path) -> list[tuple[str, bool]]:
    """(name, embedded) of each font of the PDF (poppler's pdffonts)."""
    fichier = dossier / "polices.pdf"
    fichier.write_bytes(contenu)
    lignes = subprocess.run(
        ["pdffonts", str(fichier)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    # name type… encoding emb sub uni object ID: emb is the 5th column from the end.
    return [(ligne.split()[0], ligne.split()[-5] == "yes") for ligne in lignes]
