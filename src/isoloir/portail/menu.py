"""The portal's main menu, by role: the top layer, which knows every space it leads to."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from isoloir.accounts.models import Electeur
from isoloir.counting.selectors import sieges_du_compte
from isoloir.gestion.menu import TOUS
from isoloir.gestion.roles import a_le_role


@dataclass(frozen=True)
class EntreeDuPortail:
    titre: str
    url: str
    rubrique: str  # the page's ``rubrique`` that marks this entry as the current one


def menu_du_portail(request: HttpRequest) -> dict[str, object]:
    """Context processor: the portal's main menu, by what the account is.

    A voter gets the voter's entries; a member of a bureau de vote gets « Bureau de vote »;
    administration and helpdesk get « Espace de gestion ». One account may be several of
    these (a délégué de liste is also a voter). Computed only when a page shows the menu
    (lazily: the back-office's own pages replace it, anonymous pages have none).
    """
    return {"menu_du_portail": SimpleLazyObject(lambda: _entrees_du_portail(request))}


def _entrees_du_portail(request: HttpRequest) -> list[EntreeDuPortail]:
    compte = request.user
    if not compte.is_authenticated:
        return []
    electeur = Electeur.objects.filter(compte_id=compte.pk).exists()
    entrees = []
    if electeur:
        entrees += [
            EntreeDuPortail("Accueil", reverse("portail:accueil"), "accueil"),
            EntreeDuPortail("Mes scrutins", reverse("elections:mes_scrutins"), "scrutins"),
            EntreeDuPortail("Je vote", reverse("elections:je_vote"), "vote"),
        ]
    if sieges_du_compte(int(compte.pk or 0)):
        entrees.append(EntreeDuPortail("Bureau de vote", reverse("counting:espace"), "bureau"))
    if a_le_role(request, *TOUS):
        entrees.append(EntreeDuPortail("Espace de gestion", reverse("gestion:accueil"), "gestion"))
    if electeur or not entrees:
        # An account with no role at all still finds the help pages.
        entrees.append(EntreeDuPortail("Assistance", reverse("portail:assistance"), "assistance"))
    return entrees
