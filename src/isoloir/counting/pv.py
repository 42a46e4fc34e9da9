"""The procès-verbal of a scrutin's count (A18, E04): participation, votes and seats per
list, elected candidates, the checks of the closing, and the bureau's signature block.

Made with reportlab like the notices and receipts. (PDF/A needs WeasyPrint, not yet a
dependency: see the closing note of the bureau de vote issue.)"""

import io

from django.utils import formats, timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from isoloir.counting.models import Cloture, Depouillement, MembreDuBureau, Role
from isoloir.elections.models import Candidat
from isoloir.votecode.notices import polices


def elus(depouillement: Depouillement) -> list[tuple[str, list[Candidat]]]:
    """Per list, its first candidates in rank order, as many as its seats."""
    resultat = depouillement.resultat or {}
    return [
        (
            ligne["sigle"],
            list(Candidat.objects.filter(liste_id=ligne["id"]).order_by("rang")[: ligne["sieges"]]),
        )
        for ligne in resultat.get("listes", [])
    ]


def _date(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y à H\\hi")  # type: ignore[arg-type]


def proces_verbal(depouillement: Depouillement) -> bytes:
    if depouillement.resultat is None:
        raise ValueError("Le résultat n'est pas encore calculé.")
    scrutin = depouillement.scrutin
    resultat = depouillement.resultat
    cloture = Cloture.objects.filter(scrutin=scrutin).first()
    texte, gras, mono = polices()
    tampon = io.BytesIO()
    feuille = Canvas(tampon, pagesize=A4, pageCompression=1)
    feuille.setTitle(f"Procès-verbal — {scrutin.intitule}")
    feuille.setAuthor("Isoloir")
    _, hauteur = A4
    y = hauteur - 2.5 * cm

    def ligne(contenu: str, police: str = texte, taille: float = 10, saut: float = 0.55) -> None:
        nonlocal y
        if y < 2.5 * cm:
            feuille.showPage()
            y = hauteur - 2.5 * cm
        feuille.setFont(police, taille)
        feuille.drawString(2 * cm, y, contenu)
        y -= saut * cm

    ligne("Procès-verbal des opérations de dépouillement", gras, 15, 0.8)
    ligne(f"{scrutin.campagne.nom} — {scrutin.intitule}", gras, 11, 0.9)
    inscrits, votants = resultat["inscrits"], resultat["votants"]
    taux = 100 * votants / inscrits if inscrits else 0
    for libelle, valeur in (
        ("Inscrits", inscrits),
        ("Votants (émargements)", f"{votants} ({taux:.2f} %)".replace(".", ",")),
        ("Votes blancs", resultat["blancs"]),
        ("Suffrages exprimés", resultat["exprimes"]),
        ("Sièges de titulaires", scrutin.sieges_titulaires),
    ):
        ligne(f"{libelle} : {valeur}")
    y -= 0.3 * cm
    ligne("Voix et sièges par liste", gras, 11, 0.7)
    for liste in resultat["listes"]:
        ligne(f"{liste['sigle']} : {liste['voix']} voix, {liste['sieges']} siège(s)")
    if resultat["vacants"]:
        ligne(f"Sièges restés vacants : {resultat['vacants']}")
    if resultat["tirage_au_sort"]:
        ligne(f"Tirage au sort consigné, graine : {depouillement.graine}", mono, 8)
    y -= 0.3 * cm
    ligne("Élus titulaires", gras, 11, 0.7)
    for sigle, candidats in elus(depouillement):
        for candidat in candidats:
            ligne(
                f"{sigle} — {candidat.rang}. {candidat.civilite} {candidat.nom} {candidat.prenoms}"
            )
    y -= 0.3 * cm
    ligne("Contrôles", gras, 11, 0.7)
    ligne(
        f"Bulletins dans l'urne : {depouillement.bulletins} ; émargements : "
        f"{depouillement.emargements} (égaux)"
    )
    if cloture is not None:
        ligne(
            f"Clôture le {_date(cloture.faite_le)} ; empreintes vérifiées à l'ouverture du "
            "dépouillement :"
        )
        ligne(f"urne {cloture.empreinte_urne}", mono, 8, 0.45)
        ligne(f"émargement {cloture.empreinte_emargement}", mono, 8, 0.45)
    ligne(
        f"Dépouillement calculé le {_date(depouillement.calcule_le)} par les détenteurs de "
        f"clé n° {', '.join(str(d) for d in resultat['detenteurs'])}."
    )
    y -= 0.3 * cm
    ligne("Observations et incidents :", gras, 11, 2.0)
    ligne("Signatures des membres du bureau de vote", gras, 11, 0.9)
    membres = (
        MembreDuBureau.objects.filter(bureau__rattachements__scrutin=scrutin)
        .select_related("compte", "liste")
        .order_by("role", "pk")
    )
    for membre in membres:
        qualite = membre.get_role_display()
        if membre.role == Role.DELEGUE and membre.liste is not None:
            qualite += f" ({membre.liste.sigle})"
        ligne(f"{qualite} : {membre.compte.nom_affiche or membre.compte.email}", texte, 10, 1.1)
    feuille.showPage()
    feuille.save()
    return tampon.getvalue()
