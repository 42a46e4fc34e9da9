"""The delivery dashboard: counts per establishment, and each establishment's voters.

A campaign has up to 1.4 million voters: the page's counts are grouped, filtered and paged
by the database.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from isoloir.accounts.models import Electeur
from isoloir.core import horloge
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne, Inscription
from isoloir.votecode.models import EtatRemise, RemiseDeNotice


def remise_de(electeur: Electeur) -> RemiseDeNotice:
    """The voter's recorded delivery, or an unsaved « en attente » one."""
    try:
        return electeur.remise_de_notice  # joined by the lists' select_related
    except RemiseDeNotice.DoesNotExist:
        return RemiseDeNotice(
            electeur=electeur,
            etat=EtatRemise.EN_ATTENTE,
            etablissement=electeur.etablissement,
            modifiee_le=horloge.maintenant(),
        )


def electeurs_de(campagne: Campagne) -> QuerySet[Electeur]:
    return Electeur.objects.filter(
        pk__in=Inscription.objects.filter(scrutin__campagne=campagne).values("electeur_id")
    )


@dataclass(frozen=True)
class LigneDuTableau:
    etablissement: str
    electeurs: int
    notices: int
    remises: int
    postees: int
    detruites: int

    @property
    def en_attente(self) -> int:
        return self.notices - self.remises - self.postees - self.detruites


def _electeurs_du_tableau(campagne: Campagne, recherche: str) -> QuerySet[Electeur]:
    electeurs = electeurs_de(campagne)
    if recherche:
        electeurs = electeurs.filter(etablissement__icontains=recherche)
    return electeurs


def _compteurs() -> dict[str, Count]:
    return {
        "total": Count("pk"),
        "notices": Count("code_de_vote"),
        "remises": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.REMISE)),
        "postees": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.POSTE)),
        "detruites": Count("pk", filter=Q(remise_de_notice__etat=EtatRemise.DETRUITE)),
    }


def lignes_du_tableau(
    campagne: Campagne, *, recherche: str = "", seulement_en_attente: bool = False
) -> QuerySet[Any, Any]:  # rows: dicts of the grouped counts (see ligne_du_tableau)
    """Counts per establishment, as a query left to the database to filter and page: a
    campaign has up to 1.4 million voters, so the dashboard never groups them all in
    Python (paged, it asks only for one page of rows and their number)."""
    lignes = (
        _electeurs_du_tableau(campagne, recherche)
        .values("etablissement")
        .annotate(**_compteurs())
        .annotate(en_attente=F("notices") - F("remises") - F("postees") - F("detruites"))
    )
    if seulement_en_attente:
        lignes = lignes.filter(en_attente__gt=0)  # a HAVING on the grouped counts
    return lignes.order_by("etablissement")


def ligne_du_tableau(ligne: dict[str, Any]) -> LigneDuTableau:
    return LigneDuTableau(
        etablissement=ligne["etablissement"],
        electeurs=ligne["total"],
        notices=ligne["notices"],
        remises=ligne["remises"],
        postees=ligne["postees"],
        detruites=ligne["detruites"],
    )


def tableau_des_remises(campagne: Campagne, *, recherche: str = "") -> list[LigneDuTableau]:
    """Counts per establishment, in one grouped query."""
    return [ligne_du_tableau(ligne) for ligne in lignes_du_tableau(campagne, recherche=recherche)]


def totaux_du_tableau(campagne: Campagne, *, recherche: str = "") -> dict[str, int]:
    """The sums of :func:`totaux` over every establishment of the dashboard, in one
    aggregate query rather than from all of its rows."""
    somme = _electeurs_du_tableau(campagne, recherche).aggregate(**_compteurs())
    ligne = ligne_du_tableau({"etablissement": "", **somme})
    return {
        "electeurs": ligne.electeurs,
        "notices": ligne.notices,
        "remises": ligne.remises,
        "postees": ligne.postees,
        "detruites": ligne.detruites,
        "en_attente": ligne.en_attente,
    }


def retard(campagne: Campagne) -> bool:
    """Past the delivery date, a notice still « en attente » is late (A04)."""
    return horloge.maintenant() > calendrier(campagne).remise_des_notices


def totaux(lignes: Iterable[LigneDuTableau]) -> dict[str, int]:
    total = Counter[str]()
    for ligne in lignes:
        total["electeurs"] += ligne.electeurs
        total["notices"] += ligne.notices
        total["remises"] += ligne.remises
        total["postees"] += ligne.postees
        total["detruites"] += ligne.detruites
        total["en_attente"] += ligne.en_attente
    return dict(total)


def electeurs_de_l_etablissement(campagne: Campagne, etablissement: str) -> QuerySet[Electeur]:
    return (
        electeurs_de(campagne)
        .filter(etablissement=etablissement)
        .select_related("compte", "remise_de_notice", "code_de_vote")
        .order_by("nom_naissance", "prenoms", "pk")
    )
