"""Rendering a back-office page: the portal's layout, the back-office's menu."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from isoloir.gestion.menu import menu


def rendre_gestion(
    request: HttpRequest,
    gabarit: str,
    titre: str,
    *,
    rubrique: str = "campagnes",
    fil_ariane: list[dict[str, str]] | None = None,
    **contexte: object,
) -> HttpResponse:
    """``fil_ariane`` lists the pages above this one, after the back-office's home; the
    home itself passes none."""
    return render(
        request,
        gabarit,
        {
            "titre": titre,
            "menu_de_gestion": menu(request, rubrique),
            "fil_ariane": None
            if fil_ariane is None
            else [{"url": reverse("gestion:accueil"), "titre": "Espace de gestion"}, *fil_ariane],
            **contexte,
        },
    )
