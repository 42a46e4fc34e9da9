"""Time to make one procès-verbal (PDF/A-3b, WeasyPrint), against a ReportLab baseline run
in the same process.

    .venv/bin/python bench/pv.py [--repetitions 20] [--listes 6] [--sieges 15]

SQLite files by default; DATABASE_URL and URNE_DATABASE_URL (two empty databases) run it
on PostgreSQL.

A counted scrutin is written straight into the database (no ballots, no cryptography:
neither is read by the PV): ``--listes`` lists of ``--sieges`` candidates each, a bureau
with its président, secrétaire and one délégué per list, the closing, the result from
``sieges.repartir``. Then, median per PV:

- ``releve``: gathering what the PV shows (queries, seats re-computed, seal check);
- ``proces_verbal``: that, plus the HTML template and WeasyPrint's PDF/A rendering;
- the baseline: the same ``releve`` drawn line by line with ReportLab's canvas, as the
  PV was made before PDF/A (one page of text, built-in font handling, no layout engine).
"""

import argparse
import hashlib
import io
import os
from datetime import timedelta
from typing import Any

from outils import mediane, preparer_django  # bench/ is the script's own folder


def pv_reportlab(r: Any) -> bytes:
    """The baseline: the old ReportLab PV, drawing the same figures line by line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas

    from isoloir.core.polices import polices

    texte, gras, mono = polices()
    tampon = io.BytesIO()
    feuille = Canvas(tampon, pagesize=A4, pageCompression=1)
    feuille.setTitle(f"Procès-verbal — {r.scrutin.intitule}")
    _, hauteur = A4
    y = hauteur - 2.5 * cm

    def ligne(contenu: str, police: str = texte, taille: float = 10) -> None:
        nonlocal y
        if y < 2.5 * cm:
            feuille.showPage()
            y = hauteur - 2.5 * cm
        feuille.setFont(police, taille)
        feuille.drawString(2 * cm, y, contenu)
        y -= 0.55 * cm

    ligne("Procès-verbal des opérations de dépouillement", gras, 15)
    ligne(f"{r.scrutin.campagne.nom} — {r.scrutin.intitule}", gras, 11)
    for libelle, valeur in (
        ("Inscrits", r.inscrits),
        ("Votants", f"{r.votants} ({r.participation})"),
        ("Votes blancs", r.blancs),
        ("Suffrages exprimés", r.exprimes),
        ("Quotient électoral", r.quotient_affiche),
    ):
        ligne(f"{libelle} : {valeur}")
    for rangee in r.listes:
        ligne(f"{rangee.liste.sigle} : {rangee.voix} voix, {rangee.part}, {rangee.sieges} siège(s)")
        for c in rangee.elus:
            ligne(f"    {c.rang}. {c.civilite} {c.nom} {c.prenoms}")
    ligne(r.bulletins_et_emargements)
    if r.cloture:
        ligne(f"urne {r.cloture.empreinte_urne}", mono, 8)
        ligne(f"émargement {r.cloture.empreinte_emargement}", mono, 8)
    for e in r.scellement.ecarts:
        ligne(e)
    ligne("Signatures des membres du bureau de vote", gras, 11)
    for s in r.signataires:
        ligne(f"{s.qualite_et_nom} {s.liste}")
    feuille.showPage()
    feuille.save()
    return tampon.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--listes", type=int, default=6)
    parser.add_argument("--sieges", type=int, default=15)
    args = parser.parse_args()

    preparer_django()
    import logging

    from django.core.management import call_command

    for base in ("default", "urne"):
        call_command("migrate", database=base, verbosity=0)
    # WeasyPrint logs each rendering step at INFO: that is not what is measured.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    from isoloir import sieges
    from isoloir.accounts.models import Compte
    from isoloir.core import horloge
    from isoloir.counting import pv
    from isoloir.counting.models import (
        BureauDeVote,
        CeremonieDesCles,
        Cloture,
        Depouillement,
        EtatCeremonie,
        MembreDuBureau,
        RattachementAuBureau,
        Role,
    )
    from isoloir.elections.models import Campagne, Candidat, ListeCandidats, Scrutin

    maintenant = horloge.maintenant()
    campagne = Campagne.objects.create(
        nom="Élections professionnelles 2026",
        slug="banc-pv",
        ouverture=maintenant - timedelta(days=9),
        cloture=maintenant - timedelta(days=1),
    )
    scrutin = Scrutin.objects.create(
        campagne=campagne,
        code="csa-banc",
        intitule="Comité social d'administration ministériel",
        type="CSA",
        perimetre="Ministère",
        sieges_titulaires=args.sieges,
    )
    listes = []
    for ordre in range(1, args.listes + 1):
        liste = ListeCandidats.objects.create(
            scrutin=scrutin,
            ordre=ordre,
            sigle=f"SYN{ordre}",
            denomination=f"Fédération syndicale n° {ordre}",
        )
        Candidat.objects.bulk_create(
            Candidat(liste=liste, rang=r, civilite="Mme", nom=f"Nom{r}", prenoms=f"Prénom {r}")
            for r in range(1, args.sieges + 1)
        )
        listes.append(liste)
    bureau = BureauDeVote.objects.create(campagne=campagne, nom="BVE du CSA ministériel")
    RattachementAuBureau.objects.create(bureau=bureau, scrutin=scrutin)

    def membre(nom: str, role: str, liste: ListeCandidats | None = None) -> MembreDuBureau:
        compte = Compte.objects.create_user(f"{nom}@banc.gouv.fr", None)
        return MembreDuBureau.objects.create(
            bureau=bureau, compte=compte, role=role, liste=liste, detenteur_de_cle=True
        )

    membres = [membre("presidente", Role.PRESIDENT), membre("secretaire", Role.SECRETAIRE)]
    membres += [membre(f"delegue-{liste.ordre}", Role.DELEGUE, liste) for liste in listes]
    CeremonieDesCles.objects.create(
        bureau=bureau,
        etat=EtatCeremonie.CLOSE,
        detenteurs=[m.pk for m in membres],
        ouverte_le=maintenant - timedelta(days=20),
        close_le=maintenant - timedelta(days=20),
        empreinte="0" * 64,
    )
    voix = [41_230 // (k + 1) + 977 * k for k in range(args.listes)]
    blancs = 3_120
    votants = sum(voix) + blancs
    Cloture.objects.create(
        scrutin=scrutin,
        bulletins=votants,
        emargements=votants,
        empreinte_urne=hashlib.sha256(b"urne").hexdigest(),
        empreinte_emargement=hashlib.sha256(b"emargement").hexdigest(),
        faite_le=maintenant - timedelta(days=1),
    )
    graine = os.urandom(32).hex()
    repartition = sieges.repartir(
        [
            sieges.Liste(identifiant=str(liste.pk), voix=v, candidats=args.sieges)
            for liste, v in zip(listes, voix, strict=True)
        ],
        args.sieges,
        graine=bytes.fromhex(graine),
    )
    depouillement = Depouillement.objects.create(
        scrutin=scrutin,
        bulletins=votants,
        emargements=votants,
        sommes=[],
        graine=graine,
        ouvert_le=maintenant,
        calcule_le=maintenant,
        resultat={
            "inscrits": 2 * votants,
            "votants": votants,
            "blancs": blancs,
            "exprimes": sum(voix),
            "listes": [
                {
                    "id": liste.pk,
                    "sigle": liste.sigle,
                    "voix": v,
                    "sieges": repartition.sieges[str(liste.pk)],
                }
                for liste, v in zip(listes, voix, strict=True)
            ],
            "vacants": repartition.vacants,
            "tirage_au_sort": False,
            "detenteurs": [1, 2, 3],
        },
    )

    exemple = pv.proces_verbal(depouillement)
    t_releve = mediane(lambda: pv.releve(depouillement), args.repetitions)
    t_pv = mediane(lambda: pv.proces_verbal(depouillement), args.repetitions)
    t_base = mediane(lambda: pv_reportlab(pv.releve(depouillement)), args.repetitions)
    print(
        f"PV PDF/A-3b ({args.listes} listes, {args.sieges} sièges, {len(membres)} membres, "
        f"{len(exemple) / 1024:.0f} Kio) : {t_pv * 1000:.0f} ms par PV, dont relevé "
        f"{t_releve * 1000:.1f} ms ; base ReportLab (même relevé, texte ligne à ligne) : "
        f"{t_base * 1000:.1f} ms, ratio {t_pv / t_base:.1f}"
    )


if __name__ == "__main__":
    main()
