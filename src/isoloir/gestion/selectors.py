"""What the back-office's campaign dashboard counts."""

from dataclasses import dataclass

from django.db.models import Count, Q

from isoloir.accounts.models import Electeur
from isoloir.elections.models import Campagne, Inscription, Scrutin


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
