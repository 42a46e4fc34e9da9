"""The procès-verbal of a scrutin's count (A18, E04) as a PDF/A document.

What the PV says comes from ``releve_du_depouillement.releve``, the same ``Releve`` the
results page shows; this module only prints it. It stays apart because rendering is its own
concern: WeasyPrint, fonts and a locked-down URL fetcher, none of which the results page
needs.

``proces_verbal`` renders it as PDF/A-3b with WeasyPrint (archival, art. 16 / A19): every
font embedded (the product's fonts, core/polices.py), an sRGB output intent, XMP metadata.
The rendering reads only the template, the stylesheet next to this file and the font
files: the URL fetcher refuses anything else, so a PV never depends on the network or on
what a page could point at.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.core.cache import cache
from django.template.loader import render_to_string

from isoloir.core import horloge
from isoloir.core.polices import DOSSIER, MONO, TEXTE, TEXTE_GRAS, TEXTE_ITALIQUE, regles_font_face
from isoloir.counting.models import Depouillement
from isoloir.counting.releve_du_depouillement import releve

# ``pv.releve`` stays available to the callers that reach the figures through the PV
# (bench/pv.py measures both from here).
__all__ = [
    "DUREE_DU_PV_EN_CACHE",
    "FACES",
    "FEUILLE_DE_STYLE",
    "proces_verbal",
    "proces_verbal_recent",
    "releve",
]

FEUILLE_DE_STYLE = Path(__file__).resolve().parent / "static" / "counting" / "pv.css"
# The families the stylesheet names, and the faces of the product's fonts each declares.
FACES = (
    ("PV", TEXTE),
    ("PV", TEXTE_GRAS),
    ("PV", TEXTE_ITALIQUE),
    ("PV Mono", MONO),
)


# ---------------------------------------------------------------------------------------
# The PDF/A.


def _racines_permises() -> tuple[Path, ...]:
    return (FEUILLE_DE_STYLE.parent, DOSSIER.resolve())


def _recuperateur() -> Any:
    """A WeasyPrint URL fetcher that serves only local files under the stylesheet's folder
    and the font folder; any other address stops the rendering."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class RecuperateurLocal(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            adresse = urlsplit(url)
            if adresse.scheme == "file" and adresse.netloc in ("", "localhost"):
                chemin = Path(url2pathname(adresse.path)).resolve()
                if any(chemin.is_relative_to(racine) for racine in _racines_permises()):
                    return URLFetcherResponse(url, chemin.read_bytes())
            raise FatalURLFetchingError(f"Ressource refusée dans le procès-verbal : {url}")

    return RecuperateurLocal()


def proces_verbal(depouillement: Depouillement) -> bytes:
    """The PV of the count as PDF/A-3b bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    contenu = releve(depouillement)
    etabli_le = horloge.maintenant()
    html = render_to_string(
        "counting/pv.html",
        {
            "r": contenu,
            "etabli_le": etabli_le,
            "etabli_le_iso": etabli_le.isoformat(timespec="seconds"),
        },
    )
    recuperateur = _recuperateur()
    polices = FontConfiguration()
    feuilles = [
        CSS(string=regles_font_face(FACES), font_config=polices, url_fetcher=recuperateur),
        CSS(
            filename=str(FEUILLE_DE_STYLE),
            font_config=polices,
            url_fetcher=recuperateur,
        ),
    ]
    document = HTML(
        string=html, base_url=FEUILLE_DE_STYLE.parent.as_uri() + "/", url_fetcher=recuperateur
    )
    pdf = document.write_pdf(
        stylesheets=feuilles,
        font_config=polices,
        pdf_variant="pdf/a-3b",
        # Tagged: a screen reader reads the PV's headings and tables as such.
        pdf_tags=True,
    )
    assert pdf is not None
    return bytes(pdf)


# The PV is public and takes about a second of CPU to make (bench/pv.py): a download serves
# the one made in the last minutes, as the public board does for the seal's check.
DUREE_DU_PV_EN_CACHE = 120


def proces_verbal_recent(depouillement: Depouillement) -> bytes:
    """The PV made at most ``DUREE_DU_PV_EN_CACHE`` seconds ago, or a new one. The key
    follows the result's computation time, so a count run again is never served stale."""
    calcule_le = depouillement.calcule_le.isoformat() if depouillement.calcule_le else ""
    cle = f"counting:pv:{depouillement.pk}:{calcule_le}"
    contenu: bytes | None = cache.get(cle)
    if contenu is None:
        contenu = proces_verbal(depouillement)
        cache.set(cle, contenu, DUREE_DU_PV_EN_CACHE)
    return contenu
