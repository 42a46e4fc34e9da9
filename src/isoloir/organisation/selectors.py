"""What the back-office's campaign dashboard counts."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from isoloir.accounts.models import Electeur
from isoloir.elections.models import Campagne, Inscription, ListeCandidats, Scrutin


@dataclass(frozen=True)
class EtatDeLaCampagne:
    scrutins: int
    inscriptions: int
    electeurs: int
    comptes_actives: int
    codes_emis: int


def etat_de_la_campagne(campagne: Campagne) -> EtatDeLaCampagne:
    electeurs = Electeur.objects.filter(
        pk__in=Inscription.objects.filter(scrutin__campagne=campagne).values("electeur_id")
    ).aggregate(
        total=Count("pk"),
        actives=Count("pk", filter=Q(active_le__isnull=False)),
        codes=Count("pk", filter=Q(code_de_vote__isnull=False)),
    )
    return EtatDeLaCampagne(
        scrutins=Scrutin.objects.filter(campagne=campagne).count(),
        inscriptions=Inscription.objects.filter(scrutin__campagne=campagne).count(),
        electeurs=electeurs["total"],
        comptes_actives=electeurs["actives"],
        codes_emis=electeurs["codes"],
    )


def _compte_par_scrutin(lignes: QuerySet) -> Coalesce:
    par_scrutin = lignes.filter(scrutin=OuterRef("pk")).values("scrutin").annotate(n=Count("pk"))
    return Coalesce(Subquery(par_scrutin.values("n"), output_field=IntegerField()), 0)


def scrutins_et_effectifs(campagne: Campagne) -> QuerySet[Scrutin]:
    """The campaign's scrutins with their numbers of lists and of voters: one subquery
    each, as two counts over one join would multiply lists by voters (millions of rows)."""
    return (
        Scrutin.objects.filter(campagne=campagne)
        .annotate(
            nombre_listes=_compte_par_scrutin(ListeCandidats.objects.all()),
            nombre_inscrits=_compte_par_scrutin(Inscription.objects.all()),
        )
        .order_by("ordre", "intitule")
    )
