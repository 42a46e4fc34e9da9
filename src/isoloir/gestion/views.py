"""The back-office's home and each campaign's dashboard: its timeline and its figures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from isoloir.elections import calendrier
from isoloir.elections.models import Campagne
from isoloir.gestion import roles
from isoloir.gestion.menu import operations
from isoloir.gestion.pages import rendre_gestion
from isoloir.gestion.selectors import etat_de_la_campagne


@roles.assistance
def accueil(request: HttpRequest) -> HttpResponse:
    campagnes = [
        (campagne, calendrier.prochaine(calendrier.echeancier(campagne)))
        for campagne in Campagne.objects.order_by("-ouverture")
    ]
    return rendre_gestion(
        request,
        "gestion/accueil.html",
        "Espace de gestion",
        campagnes=campagnes,
        administration=roles.a_le_role(request, roles.RoleDeGestion.ADMINISTRATION),
    )


@roles.administration
def campagne(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    echeances = calendrier.echeancier(campagne)
    return rendre_gestion(
        request,
        "gestion/campagne.html",
        campagne.nom,
        fil_ariane=[],
        campagne=campagne,
        echeances=echeances,
        prochaine=calendrier.prochaine(echeances),
        etat=etat_de_la_campagne(campagne),
        operations=operations(campagne.slug),
    )
