"""Reads of the voting booth: the voter's scrutins and their state, participation."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, F, Sum

from isoloir.accounts.models import Electeur
from isoloir.audit.models import Evenement
from isoloir.booth import depot
from isoloir.booth.models import Emargement
from isoloir.elections import selectors
from isoloir.elections.models import Campagne, Scrutin
from isoloir.elections.selectors import Fenetre, Phase
from isoloir.votecode.models import CodeDeVote


class Etat(StrEnum):
    A_VENIR = "a_venir"
    A_VOTER = "a_voter"
    PAS_PRET = "pas_pret"  # in its window, but not sealed (or no key): no "Voter" button
    VOTE = "vote"
    FERME = "ferme"


@dataclass(frozen=True)
class ScrutinDeLElecteur:
    scrutin: Scrutin
    fenetre: Fenetre
    emarge_le: datetime | None
    # Why the scrutin cannot take a ballot yet, when its window is open (booth.depot).
    pas_pret: str | None = None

    @property
    def etat(self) -> Etat:
        if self.emarge_le is not None:
            return Etat.VOTE
        phase = self.fenetre.phase()
        if phase is Phase.OUVERT and self.pas_pret:
            return Etat.PAS_PRET
        return {
            Phase.A_VENIR: Etat.A_VENIR,
            Phase.OUVERT: Etat.A_VOTER,
            Phase.CLOS: Etat.FERME,
        }[phase]


def scrutins_de_l_electeur(electeur: Electeur, campagne: Campagne) -> list[ScrutinDeLElecteur]:
    emargements = dict(
        Emargement.objects.filter(
            inscription__electeur=electeur, inscription__scrutin__campagne=campagne
        ).values_list("inscription__scrutin_id", "emarge_le")
    )
    lignes = []
    for scrutin in selectors.scrutins_de(electeur, campagne):
        fenetre = selectors.fenetre_du_scrutin(scrutin)
        emarge_le = emargements.get(scrutin.pk)
        pas_pret = None
        if emarge_le is None and fenetre.phase() is Phase.OUVERT:
            _, pas_pret = depot.pret_a_voter(scrutin)
        lignes.append(ScrutinDeLElecteur(scrutin, fenetre, emarge_le, pas_pret))
    return lignes


def emargement_de(electeur: Electeur, scrutin: Scrutin) -> Emargement | None:
    return Emargement.objects.filter(
        inscription__electeur=electeur, inscription__scrutin=scrutin
    ).first()


@dataclass(frozen=True)
class Participation:
    scrutin: Scrutin
    inscrits: int
    votants: int

    @property
    def taux(self) -> float:
        return 100 * self.votants / self.inscrits if self.inscrits else 0.0


def participation(campagne: Campagne, *, parmi: list[int] | None = None) -> list[Participation]:
    """Émargements per scrutin (``parmi``: only these scrutins): for the bureau de vote's
    members only (A11)."""
    scrutins = Scrutin.objects.filter(campagne=campagne)
    if parmi is not None:
        scrutins = scrutins.filter(pk__in=parmi)
    scrutins = scrutins.annotate(
        n_inscrits=Count("inscriptions", distinct=True),
        n_votants=Count("inscriptions__emargement", distinct=True),
    ).order_by("ordre", "intitule")
    return [Participation(s, s.n_inscrits, s.n_votants) for s in scrutins]


@dataclass(frozen=True)
class Incidents:
    """What the bureau should know of during the vote (décret art. 12-III), since the
    campaign opened: renewed codes de vote, refused copies of ballots, votes finished or
    undone by the recovery, réassorts locked after failed attempts."""

    reassorts: int
    electeurs_reassortis: int
    rejeux_refuses: int
    votes_recuperes: int
    reassorts_verrouilles: int


def incidents(campagne: Campagne) -> Incidents:
    codes = CodeDeVote.objects.filter(
        electeur__inscriptions__scrutin__campagne=campagne, generation__gt=1
    ).distinct()
    depuis = Evenement.objects.filter(horodatage__gte=campagne.ouverture)
    recuperations = depuis.filter(type="vote.recuperation").values_list("details", flat=True)
    return Incidents(
        reassorts=codes.aggregate(n=Sum(F("generation") - 1))["n"] or 0,
        electeurs_reassortis=codes.count(),
        rejeux_refuses=depuis.filter(type="vote.rejeu_refuse").count(),
        votes_recuperes=sum(
            int(d.get("emargees", 0)) + int(d.get("abandonnees", 0)) for d in recuperations
        ),
        reassorts_verrouilles=depuis.filter(type="reassort.verrouille").count(),
    )
