"""The initial codes of a roll and their paper notices, establishment by establishment.

For each establishment, the codes of its voters who have none are drawn, printed into one
PDF (a page per voter), and only then their hashes are committed. The PDF's name depends
on the set of voters it holds, so a run interrupted anywhere can simply be started again:
- before the PDF is complete, nothing is kept;
- after the PDF but before the commit, the same voters still lack a code, get new ones,
  and the same file is written over: the stale codes it held never worked;
- after the commit, these voters have a code and are skipped.
The clear codes exist only in these files, for the printer; the database keeps hashes.
"""

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import NamedTuple, Protocol

from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import clock
from isoloir.elections.models import Campagne
from isoloir.notify.composition import lien_absolu
from isoloir.votecode import code
from isoloir.votecode.models import CodeDeVote, Origine

POLICES = Path("/usr/share/fonts/truetype/dejavu")


@dataclass
class RapportNotices:
    etablissements: int = 0
    codes: int = 0
    fichiers: list[Path] = field(default_factory=list)


Progression = Callable[[int, int, str, int], None]  # (rank, total, establishment, codes)


def generer_codes_initiaux(
    *,
    campagne: Campagne,
    dossier: Path,
    progression: Progression | None = None,
    imprimer: "Imprimeur | None" = None,
) -> RapportNotices:
    """Draw, print and record the missing codes of the campaign's voters.

    ``imprimer`` writes one establishment's notices (the PDF printer by default; tests
    pass one that keeps the codes to try them).
    """
    imprimer = imprimer or imprimer_pdf
    # Only the printing service reads these files: they hold codes in clear.
    dossier.mkdir(mode=0o700, parents=True, exist_ok=True)
    rapport = RapportNotices()
    total = (
        Electeur.objects.filter(inscriptions__scrutin__campagne=campagne, code_de_vote__isnull=True)
        .values("etablissement")
        .distinct()
        .count()
    )
    for rang, (etablissement, electeurs) in enumerate(_electeurs_sans_code(campagne), start=1):
        codes = {e.pk: code.tirer() for e in electeurs}
        fichier = dossier / _nom_de_fichier(etablissement, electeurs)
        imprimer(
            fichier,
            campagne=campagne,
            etablissement=etablissement,
            electeurs=electeurs,
            codes=codes,
        )
        _enregistrer(electeurs, codes)
        journaliser("codes.generes", campagne=campagne.slug, nombre=len(electeurs))
        rapport.etablissements += 1
        rapport.codes += len(electeurs)
        rapport.fichiers.append(fichier)
        if progression:
            progression(rang, total, etablissement, len(electeurs))
    return rapport


def _electeurs_sans_code(campagne: Campagne) -> Iterator[tuple[str, list[Electeur]]]:
    electeurs = (
        Electeur.objects.filter(inscriptions__scrutin__campagne=campagne, code_de_vote__isnull=True)
        .select_related("compte")
        .distinct()
        .order_by("etablissement", "nom_naissance", "prenoms", "pk")
    )
    for etablissement, groupe in groupby(
        electeurs.iterator(chunk_size=2000), key=lambda e: e.etablissement
    ):
        yield etablissement or "Sans établissement", list(groupe)


def _nom_de_fichier(etablissement: str, electeurs: list[Electeur]) -> str:
    ensemble = ",".join(str(e.pk) for e in electeurs)
    empreinte = hashlib.sha256(ensemble.encode()).hexdigest()[:10]
    return f"{slugify(etablissement)[:80] or 'etablissement'}--{empreinte}.pdf"


@transaction.atomic
def _enregistrer(electeurs: list[Electeur], codes: dict[int, str]) -> None:
    maintenant = clock.now()
    CodeDeVote.objects.bulk_create(
        [
            CodeDeVote(
                electeur=e,
                empreinte=code.hacher(codes[e.pk]),
                origine=Origine.INITIAL,
                emis_le=maintenant,
            )
            for e in electeurs
        ]
    )


class Polices(NamedTuple):
    texte: str
    gras: str
    mono: str


def polices() -> Polices:
    """The fonts of the product's PDFs (notices, receipts, PV): DejaVu, which covers French
    accents, when the system has it; reportlab's built-in fonts otherwise."""
    if (POLICES / "DejaVuSans.ttf").exists():
        for nom, fichier in (
            ("DejaVu", "DejaVuSans.ttf"),
            ("DejaVu-Gras", "DejaVuSans-Bold.ttf"),
            ("DejaVu-Mono", "DejaVuSansMono-Bold.ttf"),
        ):
            if nom not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(nom, str(POLICES / fichier)))
        return Polices("DejaVu", "DejaVu-Gras", "DejaVu-Mono")
    return Polices("Helvetica", "Helvetica-Bold", "Courier-Bold")


class Imprimeur(Protocol):
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
    texte, gras, mono = polices()
    provisoire = fichier.with_suffix(".pdf.partiel")
    provisoire.touch(mode=0o600)
    feuille = Canvas(str(provisoire), pagesize=A4)
    feuille.setTitle(f"Notices de vote — {etablissement}")
    _, hauteur = A4
    debut = formats.date_format(timezone.localtime(campagne.ouverture), "l j F Y à H\\hi")
    fin = formats.date_format(timezone.localtime(campagne.cloture), "l j F Y à H\\hi")
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
    os.replace(provisoire, fichier)
