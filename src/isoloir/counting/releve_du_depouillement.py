"""What a scrutin's count shows: the figures of its results page and of its procès-verbal
(A18, E04).

``releve`` gathers everything once: participation, votes and seats per list, quotient,
drawing of lots, elected candidates, the checks (seal, closing, ballots against
émargements, the seats re-computed), the key holders whose shares were used, the
incidents of the vote and the bureau's members. The results page and the PV show that same
``Releve``, so they can never disagree.

It lives apart from ``pv`` because it is about what the count says, not how a document is
printed: the results page needs it without WeasyPrint, and the PDF rendering reads it
without knowing how the figures, the checks or the signatories are found.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

from isoloir import sieges
from isoloir.booth import selectors as selecteurs_du_vote
from isoloir.core.texte import nombre
from isoloir.counting import scellement
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    Cloture,
    Depouillement,
    MembreDuBureau,
    Scellement,
)
from isoloir.counting.selectors import membres_dans_l_ordre
from isoloir.counting.services import Intervention, interventions
from isoloir.elections.models import Candidat, ListeCandidats, Scrutin
from isoloir.elections.selectors import Fenetre, fenetre_du_scrutin

# ---------------------------------------------------------------------------------------
# Formatting: French figures, the same on the page and in the PDF.


def pourcentage(partie: int, tout: int) -> str:
    return f"{100 * partie / tout:.2f} %".replace(".", ",") if tout else "—"


def _decimal(valeur: Fraction) -> str:
    return f"{float(valeur):,.2f}".replace(",", "\xa0").replace(".", ",")


# ---------------------------------------------------------------------------------------
# What the PV and the results page show.


@dataclass(frozen=True)
class LigneDeListe:
    liste: ListeCandidats
    voix: int
    sieges: int
    part: str  # of the suffrages exprimés, formatted
    elus: list[Candidat]

    @property
    def organisation(self) -> str:
        if self.liste.union:
            return f"{self.liste.denomination} ({self.liste.union})"
        return self.liste.denomination


@dataclass(frozen=True)
class TirageConsigne:
    """One drawing of lots, with the sigles instead of the list ids for a reader."""

    numero: int
    en_lice: list[str]
    identifiants: list[str]  # « 12 = FSU »: how the hashed text names the lists
    gagnante: str
    message: str
    empreinte: str


@dataclass(frozen=True)
class EtatDuScellement:
    """The bureau's seal and its check: verified when sealed and ``ecarts`` is empty."""

    scelle: bool
    empreinte: str
    scelle_le: datetime | None
    signe_par: list[str]  # « président : nom (détenteur n° 1) », in signing order
    ecarts: list[str]

    @property
    def verifie(self) -> bool:
        return self.scelle and not self.ecarts


@dataclass(frozen=True)
class Signataire:
    membre: MembreDuBureau
    nom: str
    qualite: str
    liste: str

    @property
    def qualite_et_nom(self) -> str:
        return f"{self.qualite} : {self.nom}"


@dataclass(frozen=True)
class Releve:
    depouillement: Depouillement
    scrutin: Scrutin
    bureau: BureauDeVote | None
    fenetre: Fenetre
    cloture: Cloture | None
    inscrits: int
    votants: int
    blancs: int
    exprimes: int
    listes: list[LigneDeListe]
    quotient: Fraction | None
    vacants: int
    tirage_au_sort: bool
    tirages: list[TirageConsigne]
    egalite: tuple[str, ...]  # the tie told in sieges.decrire_egalite's words, if any
    detenteurs: list[Signataire]
    indices_detenteurs: list[int]
    scellement: EtatDuScellement
    incidents: selecteurs_du_vote.Incidents
    interventions: list[Intervention]
    signataires: list[Signataire]
    ecarts: list[str] = field(default_factory=list)  # checks of the count itself that failed

    # Formatted figures, so that the templates hold no arithmetic.
    @property
    def participation(self) -> str:
        return pourcentage(self.votants, self.inscrits)

    @property
    def quotient_affiche(self) -> str:
        if self.quotient is None:
            return "sans objet (aucun suffrage exprimé)"
        if self.quotient.denominator == 1:
            return nombre(self.quotient.numerator)
        return (
            f"{_decimal(self.quotient)} ({nombre(self.exprimes)} suffrages exprimés / "
            f"{self.scrutin.sieges_titulaires} sièges)"
        )

    @property
    def regle_d_egalite(self) -> str:
        return sieges.REGLE_D_EGALITE

    @property
    def sieges_attribues(self) -> int:
        return sum(ligne.sieges for ligne in self.listes)

    @property
    def listes_avec_elus(self) -> list[LigneDeListe]:
        return [ligne for ligne in self.listes if ligne.sieges]

    @property
    def bulletins_egaux(self) -> bool:
        return self.depouillement.bulletins == self.depouillement.emargements

    @property
    def bulletins_et_emargements(self) -> str:
        d = self.depouillement
        egalite = "égaux" if self.bulletins_egaux else "ÉCART"
        return (
            f"Bulletins dans l'urne : {nombre(d.bulletins)} ; émargements : "
            f"{nombre(d.emargements)} ({egalite})"
        )

    @property
    def somme_verifiee(self) -> bool:
        """A18: exprimés + blancs, counted electronically, equal the émargements."""
        return self.exprimes + self.blancs == self.votants

    @property
    def conforme(self) -> bool:
        return (
            self.bulletins_egaux
            and self.somme_verifiee
            and not self.ecarts
            and self.scellement.verifie
        )


def nom_du_membre(membre: MembreDuBureau) -> str:
    """The member's name for the public minutes: the account's display name, else the
    voter's own; never the e-mail address. Empty: the line is filled in by hand."""
    if membre.compte.nom_affiche:
        return membre.compte.nom_affiche
    electeur = getattr(membre.compte, "electeur", None)
    if electeur is not None:
        return f"{electeur.prenoms} {(electeur.nom_usage or electeur.nom_naissance).upper()}"
    return ""


def _entier(resultat: dict[str, Any], cle: str) -> int:
    return int(resultat.get(cle) or 0)


def _bureau(scrutin: Scrutin) -> BureauDeVote | None:
    return BureauDeVote.objects.filter(rattachements__scrutin=scrutin).first()


def _signataires(bureau: BureauDeVote | None) -> list[Signataire]:
    """Every member, président first, then secrétaire, then délégués in the lists' order."""
    if bureau is None:
        return []
    membres = membres_dans_l_ordre(bureau)
    return [
        Signataire(
            membre=m,
            nom=nom_du_membre(m),
            qualite=m.get_role_display(),
            liste=m.liste.sigle if m.liste else "",
        )
        for m in membres
    ]


def _detenteurs(
    bureau: BureauDeVote | None, indices: Sequence[int], signataires: list[Signataire]
) -> list[Signataire]:
    """The key holders whose shares were combined: index j is the ceremony's j-th holder."""
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first() if bureau else None
    if ceremonie is None:
        return []
    par_id = {s.membre.pk: s for s in signataires}
    ordre: list[int] = list(ceremonie.detenteurs)
    return [par_id[ordre[j - 1]] for j in indices if 0 < j <= len(ordre) and ordre[j - 1] in par_id]


def _scellement(
    bureau: BureauDeVote | None, scrutin: Scrutin, signataires: list[Signataire], *, frais: bool
) -> EtatDuScellement:
    """The seal of the scrutin's bureau and what breaks it. ``frais``: recompute the check
    now (the PV); otherwise the public board's check of the last minutes (the results page,
    which anyone may load: the check reads the whole roll)."""
    if frais:
        ecarts = scellement.verifier(bureau if bureau is not None else scrutin)
    else:
        public = scellement.etat_public(scrutin)
        ecarts = public.ecarts if public else scellement.verifier(scrutin)
    sceau = Scellement.objects.filter(bureau=bureau, scelle_le__isnull=False).first()
    if sceau is None:
        return EtatDuScellement(False, "", None, [], ecarts)
    ordre: list[int] = []
    if bureau is not None and (c := CeremonieDesCles.objects.filter(bureau=bureau).first()):
        ordre = list(c.detenteurs)
    par_id = {s.membre.pk: s for s in signataires}
    signe_par = []
    for signature in sceau.signatures:
        j = signature.get("detenteur") if isinstance(signature, dict) else None
        membre = par_id.get(ordre[j - 1]) if isinstance(j, int) and 0 < j <= len(ordre) else None
        qui = membre.qualite_et_nom if membre else "détenteur inconnu"
        signe_par.append(f"{qui} (détenteur n° {j})")
    return EtatDuScellement(True, sceau.empreinte, sceau.scelle_le, signe_par, ecarts)


def _repartition(
    scrutin: Scrutin, lignes: list[dict[str, Any]], graine: str
) -> sieges.Repartition | None:
    """The seats computed again from the recorded votes (art. 14-III), for the quotient
    and the drawing's texts. None without a count to redo."""
    candidats = {
        liste.pk: liste.candidats.count()
        for liste in scrutin.listes.filter(pk__in=[ligne["id"] for ligne in lignes])
    }
    try:
        return sieges.repartir(
            [
                sieges.Liste(
                    identifiant=str(ligne["id"]),
                    voix=int(ligne["voix"]),
                    candidats=candidats.get(ligne["id"], 0),
                )
                for ligne in lignes
            ],
            scrutin.sieges_titulaires,
            graine=bytes.fromhex(graine),
        )
    except ValueError:
        return None


def releve(depouillement: Depouillement, *, scellement_frais: bool = True) -> Releve:
    """Everything the PV and the results page show, from the recorded result.
    ``scellement_frais``: check the seal again now rather than read the board's recent
    check (see ``_scellement``)."""
    if depouillement.resultat is None:
        raise ValueError("Le résultat n'est pas encore calculé.")
    resultat: dict[str, Any] = depouillement.resultat
    scrutin = depouillement.scrutin
    bureau = _bureau(scrutin)
    lignes: list[dict[str, Any]] = list(resultat.get("listes", []))
    exprimes = _entier(resultat, "exprimes")
    listes_par_id = {
        liste.pk: liste
        for liste in scrutin.listes.filter(
            pk__in=[ligne["id"] for ligne in lignes]
        ).prefetch_related("candidats")
    }
    listes = []
    for ligne in lignes:
        liste = listes_par_id[ligne["id"]]
        # The titulaires are the first candidates in the list's order, one per seat.
        rangs = sorted(liste.candidats.all(), key=lambda c: c.rang)
        listes.append(
            LigneDeListe(
                liste=liste,
                voix=int(ligne["voix"]),
                sieges=int(ligne["sieges"]),
                part=pourcentage(int(ligne["voix"]), exprimes),
                elus=rangs[: int(ligne["sieges"])],
            )
        )
    ecarts = []
    repartition = _repartition(scrutin, lignes, depouillement.graine)
    if repartition is None or any(
        repartition.sieges.get(str(ligne["id"])) != int(ligne["sieges"]) for ligne in lignes
    ):
        ecarts.append(
            "La répartition des sièges recalculée à partir des voix ne redonne pas les "
            "sièges consignés."
        )
    # In the ballot's order (that of the recorded lines), the order the tie names them in.
    sigle = {str(ligne["id"]): listes_par_id[ligne["id"]].sigle for ligne in lignes}
    egalite = repartition.egalite if repartition else None
    tirages = [
        TirageConsigne(
            numero=t.numero,
            en_lice=[sigle.get(i, i) for i in t.listes],
            identifiants=[f"{i} = {sigle.get(i, i)}" for i in t.listes],
            gagnante=sigle.get(t.gagnante, t.gagnante),
            message=t.message,
            empreinte=t.empreinte,
        )
        for t in (egalite.tirages if egalite else ())
    ]
    signataires = _signataires(bureau)
    indices = [int(j) for j in resultat.get("detenteurs", [])]
    return Releve(
        depouillement=depouillement,
        scrutin=scrutin,
        bureau=bureau,
        fenetre=fenetre_du_scrutin(scrutin),
        cloture=Cloture.objects.filter(scrutin=scrutin).first(),
        inscrits=_entier(resultat, "inscrits"),
        votants=_entier(resultat, "votants"),
        blancs=_entier(resultat, "blancs"),
        exprimes=exprimes,
        listes=listes,
        quotient=repartition.quotient if repartition else None,
        vacants=_entier(resultat, "vacants"),
        tirage_au_sort=bool(resultat.get("tirage_au_sort")),
        tirages=tirages,
        egalite=sieges.decrire_egalite(egalite, sigle),
        detenteurs=_detenteurs(bureau, indices, signataires),
        indices_detenteurs=indices,
        scellement=_scellement(bureau, scrutin, signataires, frais=scellement_frais),
        # The participation page's reading of the vote's incidents (campaign-wide).
        incidents=selecteurs_du_vote.incidents(scrutin.campagne),
        interventions=interventions(bureau) if bureau else [],
        signataires=signataires,
        ecarts=ecarts,
    )
