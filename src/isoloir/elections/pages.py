"""What every portal page shows of the voter and their campaign (the page's header).

``core.pages.rendre_page`` renders every page of the portal; it sits on the ground floor,
below the campaigns, so it cannot look the campaign up itself: this module gives it
:func:`en_tete`, registered at start-up (``elections/apps.py``).
"""

from django.http import HttpRequest

from isoloir.accounts.models import Electeur
from isoloir.elections import selectors
from isoloir.elections.models import Campagne


def electeur_et_campagne(request: HttpRequest) -> tuple[Electeur | None, Campagne | None]:
    """The logged-in voter and their campaign, looked up once per request."""
    if not hasattr(request, "_isoloir_electeur_et_campagne"):
        electeur: Electeur | None = getattr(request.user, "electeur", None)
        campagne = selectors.campagne_de(electeur) if electeur else None
        request._isoloir_electeur_et_campagne = (electeur, campagne)  # type: ignore[attr-defined]
    return request._isoloir_electeur_et_campagne  # type: ignore[attr-defined]


def en_tete(request: HttpRequest) -> dict[str, object]:
    electeur, campagne = electeur_et_campagne(request)
    return {
        "electeur": electeur,
        "campagne": campagne,
        # The header reads "Élections professionnelles 2026": the site title plus what
        # the campaign's name adds to it.
        "nom_campagne": campagne.nom.removeprefix("Élections professionnelles ")
        if campagne
        else "",
    }


def nom_de_campagne(electeur: Electeur) -> str | None:
    """The name of the voter's campaign, which the account mails give."""
    campagne = selectors.campagne_de(electeur)
    return campagne.nom if campagne else None
