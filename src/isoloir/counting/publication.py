"""What a campaign has published (``/resultats/<campagne>/``): each scrutin's result, each
bureau de vote's archive with its fingerprint, and for what is not published yet, why.

A bureau's archive is published as soon as the scrutins that bureau counts have their
results, without waiting for the rest of the campaign: some scrutins may never be counted
(those of a demonstration that vote with a development key and have no bureau). The
whole campaign's archive still follows once every scrutin has its result."""

from dataclasses import dataclass
from enum import StrEnum

from django.db import DatabaseError

from isoloir.counting.archive import (
    ArchiveImpossible,
    ArchivePubliee,
    archive_publiee,
    archive_publiee_du_bureau,
)
from isoloir.counting.models import BureauDeVote, Depouillement
from isoloir.elections.models import Campagne, Scrutin
from isoloir.elections.selectors import Fenetre, Phase, fenetre_du_scrutin


class Attente(StrEnum):
    """Why a scrutin has no result yet; the page words each case."""

    PUBLIE = "publie"
    SANS_BUREAU = "sans_bureau"
    A_VENIR = "a_venir"
    EN_COURS = "en_cours"
    A_CALCULER = "a_calculer"


@dataclass(frozen=True)
class ScrutinPublie:
    scrutin: Scrutin
    bureau: BureauDeVote | None
    fenetre: Fenetre
    calcule: bool
    # A scrutin with no bureau votes only with a development key (booth/cles.py).
    cle_de_developpement: bool

    @property
    def attente(self) -> Attente:
        if self.calcule:
            return Attente.PUBLIE
        if self.bureau is None:
            return Attente.SANS_BUREAU
        phase = self.fenetre.phase()
        if phase is Phase.A_VENIR:
            return Attente.A_VENIR
        if phase is Phase.OUVERT:
            return Attente.EN_COURS
        return Attente.A_CALCULER


@dataclass(frozen=True)
class BureauPublie:
    bureau: BureauDeVote
    scrutins: list[ScrutinPublie]
    archive: ArchivePubliee | None
    # Why the archive could not be built though every result is there (never expected:
    # shown rather than hidden if it happens).
    refus: str = ""

    @property
    def en_attente(self) -> list[ScrutinPublie]:
        return [s for s in self.scrutins if not s.calcule]


@dataclass(frozen=True)
class Publication:
    campagne: Campagne
    scrutins: list[ScrutinPublie]
    bureaux: list[BureauPublie]
    archive: ArchivePubliee | None
    refus: str = ""

    @property
    def publies(self) -> list[ScrutinPublie]:
        return [s for s in self.scrutins if s.calcule]

    @property
    def non_publies(self) -> list[ScrutinPublie]:
        return [s for s in self.scrutins if not s.calcule]


def _archive(bureau: BureauDeVote) -> tuple[ArchivePubliee | None, str]:
    try:
        return archive_publiee_du_bureau(bureau), ""
    except ArchiveImpossible as erreur:
        return None, erreur.message


def publication_de_la_campagne(campagne: Campagne) -> Publication:
    """The campaign's public record as it stands now. Building an archive reads its
    bureau's whole urne: this happens once, at the first request after the count, and the
    file is kept (counting/archive.py)."""
    scrutins = list(
        campagne.scrutins.select_related(
            "rattachement_au_bureau__bureau", "cle", "campagne"
        ).order_by("ordre", "code")
    )
    calcules = set(
        Depouillement.objects.filter(
            scrutin__campagne=campagne, calcule_le__isnull=False
        ).values_list("scrutin_id", flat=True)
    )
    etats = []
    for scrutin in scrutins:
        rattachement = getattr(scrutin, "rattachement_au_bureau", None)
        bureau = rattachement.bureau if rattachement is not None else None
        etats.append(
            ScrutinPublie(
                scrutin=scrutin,
                bureau=bureau,
                fenetre=fenetre_du_scrutin(scrutin),
                calcule=scrutin.pk in calcules,
                cle_de_developpement=bureau is None and hasattr(scrutin, "cle"),
            )
        )
    bureaux = []
    for bureau in campagne.bureaux.order_by("nom", "pk"):
        les_siens = [e for e in etats if e.bureau is not None and e.bureau.pk == bureau.pk]
        archive, refus = (None, "")
        if les_siens and all(e.calcule for e in les_siens):
            archive, refus = _archive(bureau)
        bureaux.append(BureauPublie(bureau, les_siens, archive, refus))
    archive, refus = (None, "")
    if scrutins and all(e.calcule for e in etats):
        try:
            archive = archive_publiee(campagne)
        except ArchiveImpossible as erreur:
            refus = erreur.message
    return Publication(campagne, etats, bureaux, archive, refus)


# --- Naming a bureau on the command line ---------------------------------------------------


def bureau_designe(campagne: Campagne, designation: str) -> BureauDeVote | None:
    """The campaign's bureau by its name (any case), its number, or its name in the
    archive (``bureau-<n>``)."""
    designation = designation.strip()
    bureau = campagne.bureaux.filter(nom__iexact=designation).first()
    if bureau is not None:
        return bureau
    numero = designation.removeprefix("bureau-")
    if numero.isdigit():
        return campagne.bureaux.filter(pk=int(numero)).first()
    return None


@dataclass(frozen=True)
class BureauEnregistre:
    campagne: str
    numero: int
    nom: str
    scrutins: list[str]


def bureaux_enregistres() -> list[BureauEnregistre] | None:
    """Every bureau, for the help of ``isoloir archive``; None when the database cannot
    say (not reachable, or not migrated yet): the help must print all the same."""
    try:
        return [
            BureauEnregistre(
                campagne=b.campagne.slug,
                numero=b.pk,
                nom=b.nom,
                scrutins=sorted(r.scrutin.code for r in b.rattachements.all()),
            )
            for b in BureauDeVote.objects.select_related("campagne")
            .prefetch_related("rattachements__scrutin")
            .order_by("campagne__slug", "nom", "pk")
        ]
    except DatabaseError:
        return None
