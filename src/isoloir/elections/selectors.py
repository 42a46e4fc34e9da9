"""Reads of the elections domain, for the portal and the mails."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery

from isoloir.accounts.models import Electeur
from isoloir.core import clock
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin


class Phase(StrEnum):
    A_VENIR = "a_venir"
    OUVERT = "ouvert"
    CLOS = "clos"


@dataclass(frozen=True)
class Fenetre:
    ouverture: datetime
    cloture: datetime

    def phase(self, maintenant: datetime | None = None) -> Phase:
        maintenant = maintenant or clock.now()
        if maintenant < self.ouverture:
            return Phase.A_VENIR
        if maintenant < self.cloture:
            return Phase.OUVERT
        return Phase.CLOS

    def prochaine_echeance(self, maintenant: datetime | None = None) -> datetime | None:
        """The opening before it, the closing during it, nothing after."""
        phase = self.phase(maintenant)
        if phase is Phase.A_VENIR:
            return self.ouverture
        if phase is Phase.OUVERT:
            return self.cloture
        return None


@dataclass(frozen=True)
class CompteARebours:
    """What the "Je vote" countdown shows: time to the next deadline, in whole minutes."""

    phase: Phase
    maintenant: datetime
    echeance: datetime | None
    jours: int = 0
    heures: int = 0
    minutes: int = 0


def compte_a_rebours(fenetre: Fenetre, maintenant: datetime | None = None) -> CompteARebours:
    maintenant = maintenant or clock.now()
    phase = fenetre.phase(maintenant)
    echeance = fenetre.prochaine_echeance(maintenant)
    if echeance is None:
        return CompteARebours(phase=phase, maintenant=maintenant, echeance=None)
    reste = max(0, int((echeance - maintenant).total_seconds() // 60))
    return CompteARebours(
        phase=phase,
        maintenant=maintenant,
        echeance=echeance,
        jours=reste // 1440,
        heures=reste % 1440 // 60,
        minutes=reste % 60,
    )


def campagne_de(electeur: Electeur) -> Campagne | None:
    """The campaign of the voter's rolls, the latest one if there are several."""
    return (
        Campagne.objects.filter(scrutins__inscriptions__electeur=electeur)
        .order_by("-ouverture")
        .first()
    )


def fenetre_de(campagne: Campagne) -> Fenetre:
    return Fenetre(campagne.ouverture, campagne.cloture)


def fenetre_du_scrutin(scrutin: Scrutin) -> Fenetre:
    return Fenetre(*scrutin.fenetre)


def scrutins_de(electeur: Electeur, campagne: Campagne | None = None) -> QuerySet[Scrutin]:
    scrutins = Scrutin.objects.filter(inscriptions__electeur=electeur).select_related("campagne")
    if campagne is not None:
        scrutins = scrutins.filter(campagne=campagne)
    return scrutins.order_by("ordre", "intitule")


def scrutins_avec_listes(electeur: Electeur, campagne: Campagne) -> QuerySet[Scrutin]:
    listes = ListeCandidats.objects.order_by("ordre").prefetch_related(
        Prefetch("candidats", queryset=Candidat.objects.order_by("rang"))
    )
    return scrutins_de(electeur, campagne).prefetch_related(Prefetch("listes", queryset=listes))


def liste_visible_par(electeur: Electeur, liste_id: int) -> ListeCandidats | None:
    """A candidate list of one of the voter's scrutins, or None."""
    return (
        ListeCandidats.objects.filter(pk=liste_id, scrutin__inscriptions__electeur=electeur)
        .select_related("scrutin__campagne")
        .first()
    )


def effectifs_des_scrutins(electeur: Electeur, campagne: Campagne) -> QuerySet[Scrutin]:
    """The voter's scrutins with the number of voters on each roll."""
    # A subquery, not Count() on the join: the join is already filtered on this voter.
    inscrits = (
        Inscription.objects.filter(scrutin=OuterRef("pk"))
        .values("scrutin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return scrutins_de(electeur, campagne).annotate(
        nombre_inscrits=Subquery(inscrits, output_field=IntegerField())
    )
