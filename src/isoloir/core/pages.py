"""Rendering a page in the portal's layout (DSFR), with the header every page shows.

Every application's pages go through :func:`rendre_page`, the identity pages of
``accounts`` as much as the voting space: it lives here, on the ground floor, so that
each can import it. The header names the voter's campaign, which lives far above
(``elections``): ``elections`` registers what the header shows (``enregistrer_en_tete``,
called from ``elections/apps.py``), so this module imports none of it.
"""

from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

EnTete = Callable[[HttpRequest], Mapping[str, object]]

_en_tete: dict[str, EnTete] = {}


def enregistrer_en_tete(fonction: EnTete) -> None:
    """Register what every page's header shows (the voter, their campaign)."""
    _en_tete["en_tete"] = fonction


def rendre_page(request: HttpRequest, gabarit: str, titre: str, **contexte: object) -> HttpResponse:
    en_tete = _en_tete.get("en_tete")
    return render(
        request,
        gabarit,
        {"titre": titre, **(en_tete(request) if en_tete else {}), **contexte},
    )
