"""The demo's professions de foi: one-page PDFs in French, drawn with reportlab."""

import io
import random
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from isoloir.core.dates import date_heure_fr
from isoloir.demo.referentiel import (
    ENGAGEMENTS_CAP,
    ENGAGEMENTS_CSA,
    ModeleScrutin,
    Organisation,
)
from isoloir.elections.models import Campagne, Candidat


def profession_de_foi(
    *,
    campagne: Campagne,
    modele: ModeleScrutin,
    organisation: Organisation,
    candidats: list[Candidat],
    rng: random.Random,
) -> bytes:
    styles = getSampleStyleSheet()
    pool = ENGAGEMENTS_CSA if modele.type == "CSA" else ENGAGEMENTS_CAP
    engagements = rng.sample(pool, 5)
    # Paragraph reads a markup where "&" and "<" are special (I&D-FO).
    sigle, tete = escape(organisation.sigle), escape(f"{candidats[0].prenoms} {candidats[0].nom}")
    contenu = [
        Paragraph(escape(f"{campagne.nom} — {modele.intitule}"), styles["Heading3"]),
        Paragraph(f"Profession de foi de la liste {sigle}", styles["Title"]),
        Paragraph(escape(organisation.denomination), styles["Heading2"]),
    ]
    if organisation.union:
        union = escape(organisation.union)
        contenu.append(Paragraph(f"Liste présentée avec : {union}", styles["Italic"]))
    contenu += [
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"Chères collègues, chers collègues, les {len(candidats)} candidates et candidats "
            f"de la liste {sigle}, conduite par {tete}, sont des personnels en activité "
            f"comme vous. Ils s'engagent à porter vos attentes dans cette instance "
            f"({escape(modele.perimetre)}) et à rendre compte de leur mandat.",
            styles["BodyText"],
        ),
        Paragraph("Nos engagements", styles["Heading2"]),
        ListFlowable(
            [ListItem(Paragraph(escape(e), styles["BodyText"])) for e in engagements],
            bulletType="bullet",
        ),
        Paragraph("Nos candidates et candidats", styles["Heading2"]),
        Paragraph(
            escape(" — ".join(f"{c.rang}. {c.civilite} {c.prenoms} {c.nom}" for c in candidats)),
            styles["BodyText"],
        ),
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"Le vote se déroule du {date_heure_fr(campagne.ouverture, jour_de_semaine=True)} au "
            f"{date_heure_fr(campagne.cloture, jour_de_semaine=True)} (heure de Paris). "
            f"Chaque voix compte : votez et faites voter {sigle} !",
            styles["BodyText"],
        ),
    ]
    tampon = io.BytesIO()
    document = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        title=f"Profession de foi {organisation.sigle} — {modele.intitule}",
        author=organisation.denomination,
        lang="fr-FR",
        invariant=1,  # no timestamp or random id: the same data gives the same bytes
    )
    document.build(contenu)
    return tampon.getvalue()


# --- Loading -------------------------------------------------------------------------------
