"""A file of notices as a PDF: one A4 page per voter, with their code de vote, for the
printer. Drawn with reportlab in the product's fonts (core/polices.py)."""

from pathlib import Path
from typing import Protocol

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from isoloir.accounts.models import Electeur
from isoloir.core.dates import date_heure_fr
from isoloir.core.polices import polices
from isoloir.elections.models import Campagne
from isoloir.notify.composition import lien_absolu


class Imprimeur(Protocol):
    """What writes one file of notices: :func:`imprimer_pdf`, or in the tests a printer
    that also keeps the codes to try them."""

    def __call__(
        self,
        fichier: Path,
        *,
        campagne: Campagne,
        etablissement: str,
        electeurs: list[Electeur],
        codes: dict[int, str],
    ) -> None: ...


def imprimer_pdf(
    fichier: Path,
    *,
    campagne: Campagne,
    etablissement: str,
    electeurs: list[Electeur],
    codes: dict[int, str],
) -> None:
    """Write the notices to ``fichier``, created readable by its owner only."""
    texte, gras, mono = polices()
    fichier.touch(mode=0o600)
    # Started in our font: reportlab's default (Helvetica) would be listed unembedded.
    feuille = Canvas(str(fichier), pagesize=A4, initialFontName=texte)
    feuille.setTitle(f"Notices de vote — {etablissement}")
    _, hauteur = A4
    debut = date_heure_fr(campagne.ouverture, jour_de_semaine=True)
    fin = date_heure_fr(campagne.cloture, jour_de_semaine=True)
    portail = lien_absolu("/portail/")
    for electeur in electeurs:
        y = hauteur - 2.5 * cm
        feuille.setFont(gras, 16)
        feuille.drawString(2 * cm, y, f"Notice de vote — {campagne.nom}")
        y -= 0.8 * cm
        feuille.setFont(texte, 10)
        feuille.drawString(2 * cm, y, f"Établissement : {etablissement}")
        y -= 1.5 * cm
        feuille.setFont(gras, 12)
        feuille.drawString(
            2 * cm,
            y,
            f"{electeur.get_civilite_display()} {electeur.prenoms} {electeur.nom.upper()}",
        )
        y -= 0.6 * cm
        feuille.setFont(texte, 10)
        feuille.drawString(2 * cm, y, f"Identifiant de connexion : {electeur.compte.email}")
        y -= 1.6 * cm
        feuille.setFont(texte, 11)
        feuille.drawString(2 * cm, y, "Votre code de vote, personnel et confidentiel :")
        y -= 1.3 * cm
        feuille.setFont(mono, 24)
        feuille.drawString(2 * cm, y, " ".join(codes[electeur.pk]))
        y -= 1.6 * cm
        feuille.setFont(texte, 10)
        for ligne in (
            f"Le vote est ouvert du {debut} au {fin} (heure de Paris),",
            f"sur le portail des élections : {portail}",
            "1. Connectez-vous avec votre adresse professionnelle et votre mot de passe élections.",
            "2. Choisissez « Consulter les scrutins, les candidatures et voter », saisissez ce "
            "code de vote",
            "   et recopiez le CAPTCHA : votre espace de vote s'ouvre.",
            "Ce code ne sera jamais redemandé par courriel ni par téléphone. Ne le communiquez à "
            "personne.",
            "Code perdu ? Le portail vous en donne un nouveau (« réassort »), sans intermédiaire.",
        ):
            feuille.drawString(2 * cm, y, ligne)
            y -= 0.55 * cm
        feuille.showPage()
    feuille.save()
