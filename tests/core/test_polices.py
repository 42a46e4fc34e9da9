"""The fonts of the product's PDFs, in one place (core/polices.py): the files are there,
reportlab embeds them in the notices and the receipt, and the PV's @font-face rules name
the same files."""

import io

from reportlab.pdfgen.canvas import Canvas

from isoloir.core import polices
from tests.pdf import polices_du_pdf


def test_chaque_face_a_son_fichier_truetype() -> None:
    for face in polices.FACES:
        assert face.presente(), face.chemin
        assert face.chemin.read_bytes()[:4] == b"\x00\x01\x00\x00", face.chemin  # TrueType
    assert {face.graisse for face in polices.FACES} == {"normal", "bold"}
    assert polices.TEXTE_ITALIQUE.style == "italic"


def test_reportlab_enregistre_une_fois_et_incorpore_dejavu(tmp_path) -> None:
    texte, gras, mono = polices.polices()
    assert (texte, gras, mono) == ("DejaVu", "DejaVu-Gras", "DejaVu-Mono-Gras")
    assert polices.polices() == (texte, gras, mono)  # registered once per process
    tampon = io.BytesIO()
    feuille = Canvas(tampon, initialFontName=texte)
    for nom in (texte, gras, mono):
        feuille.setFont(nom, 12)
        feuille.drawString(72, 720, "Électeur, scrutin, réclamation : « à l'œuvre »")
    feuille.save()
    trouvees = polices_du_pdf(tampon.getvalue(), tmp_path)
    assert len(trouvees) == 3, trouvees
    assert all("DejaVu" in nom and incorporee for nom, incorporee in trouvees), trouvees


def test_sans_les_fichiers_reportlab_prend_ses_polices(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(polices, "DOSSIER", tmp_path)
    assert polices.polices() == ("Helvetica", "Helvetica-Bold", "Courier-Bold")
    assert polices.regles_font_face([("PV", polices.TEXTE)]) == ""


def test_les_regles_font_face_nomment_les_memes_fichiers() -> None:
    css = polices.regles_font_face([("PV", polices.TEXTE_GRAS), ("PV Mono", polices.MONO)])
    regles = css.splitlines()
    assert len(regles) == 2
    assert regles[0] == (
        '@font-face { font-family: "PV"; font-weight: bold; font-style: normal; '
        f'src: url("{polices.TEXTE_GRAS.chemin.as_uri()}"); }}'
    )
    assert '"PV Mono"' in regles[1] and polices.MONO.chemin.as_uri() in regles[1]
