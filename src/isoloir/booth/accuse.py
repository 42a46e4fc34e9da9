"""The receipt (accusé de réception, A16) as a PDF the voter keeps."""

import io

from django.urls import reverse
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from isoloir.booth.depot import Accuse
from isoloir.core.dates import date_heure_fr
from isoloir.core.polices import polices
from isoloir.notify.composition import lien_absolu


def adresse_du_tableau(accuse: Accuse) -> str:
    scrutin = accuse.scrutin
    return lien_absolu(reverse("booth:tableau", args=[scrutin.campagne.slug, scrutin.code]))


def accuse_pdf(accuse: Accuse) -> bytes:
    texte, gras, mono = polices()
    tampon = io.BytesIO()
    # Started in our font: reportlab's default (Helvetica) would be listed unembedded.
    feuille = Canvas(tampon, pagesize=A4, pageCompression=1, initialFontName=texte)
    feuille.setTitle(f"Accusé de réception de vote — {accuse.scrutin.intitule}")
    feuille.setAuthor("Isoloir")
    feuille.setSubject("Accusé de réception de vote")
    _, hauteur = A4
    y = hauteur - 3 * cm
    feuille.setFont(gras, 16)
    feuille.drawString(2 * cm, y, "Accusé de réception de vote")
    y -= 1 * cm
    feuille.setFont(texte, 11)
    lignes = [
        ("Élection", accuse.scrutin.campagne.nom),
        ("Scrutin", accuse.scrutin.intitule),
        (
            "Vote enregistré le",
            date_heure_fr(accuse.emarge_le, jour_de_semaine=True) + " (heure de Paris)",
        ),
    ]
    for libelle, valeur in lignes:
        feuille.setFont(gras, 11)
        feuille.drawString(2 * cm, y, f"{libelle} :")
        feuille.setFont(texte, 11)
        feuille.drawString(6 * cm, y, valeur)
        y -= 0.7 * cm
    y -= 0.5 * cm
    feuille.setFont(gras, 11)
    feuille.drawString(2 * cm, y, "Traceur de votre bulletin chiffré :")
    y -= 0.9 * cm
    feuille.setFont(mono, 13)
    feuille.drawString(2 * cm, y, accuse.traceur)
    y -= 1.1 * cm
    feuille.setFont(texte, 10)
    explications = [
        "Le traceur est l'empreinte de votre bulletin tel qu'il est rangé dans l'urne. Il ne",
        "révèle pas votre choix : votre bulletin a été chiffré dans votre navigateur et ne sera",
        "déchiffré qu'au dépouillement, dans la somme de tous les bulletins.",
        "Vous pouvez vérifier à tout moment que votre bulletin est dans l'urne en cherchant ce",
        "traceur sur le tableau d'affichage public du scrutin :",
    ]
    for ligne in explications:
        feuille.drawString(2 * cm, y, ligne)
        y -= 0.5 * cm
    feuille.setFont(mono, 9)
    feuille.drawString(2 * cm, y, adresse_du_tableau(accuse))
    y -= 0.9 * cm
    feuille.setFont(texte, 9)
    feuille.drawString(2 * cm, y, f"Empreinte de l'élection : {accuse.empreinte_election}")
    feuille.showPage()
    feuille.save()
    return tampon.getvalue()
