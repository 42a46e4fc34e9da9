"""Rendering a portal page with what every page shows: the voter and their campaign."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


def rendre_page(request: HttpRequest, gabarit: str, titre: str, **contexte: object) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    return render(
        request,
        gabarit,
        {
            "titre": titre,
            "electeur": electeur,
            "campagne": campagne,
            # The header reads "Élections professionnelles 2026": the site title plus what
            # the campaign's name adds to it.
            "nom_campagne": campagne.nom.removeprefix("Élections professionnelles ")
            if campagne
            else "",
            **contexte,
        },
    )
