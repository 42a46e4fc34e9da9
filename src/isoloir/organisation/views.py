"""The back-office's home and each campaign's dashboard: its timeline and its figures."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from isoloir.audit.services import journaliser
from isoloir.core import presentation as presentation_du_portail
from isoloir.core.requetes import adresse_du_client
from isoloir.elections import calendrier
from isoloir.elections.models import Campagne
from isoloir.gestion import roles
from isoloir.gestion.menu import menu as menu_de_gestion
from isoloir.gestion.menu import operations
from isoloir.gestion.pages import rendre_gestion
from isoloir.organisation.forms import FormulaireCampagne, FormulaireMarque, FormulaireScrutins
from isoloir.organisation.portail import changer_la_marque
from isoloir.organisation.scrutins import COLONNES, importer_scrutins
from isoloir.organisation.selectors import etat_de_la_campagne, scrutins_et_effectifs


@roles.assistance
def accueil(request: HttpRequest) -> HttpResponse:
    campagnes = [
        (campagne, calendrier.prochaine(calendrier.echeancier(campagne)))
        for campagne in Campagne.objects.order_by("-ouverture")
    ]
    return rendre_gestion(
        request,
        "organisation/accueil.html",
        "Espace de gestion",
        campagnes=campagnes,
        administration=roles.a_le_role(request, roles.RoleDeGestion.ADMINISTRATION),
        # Each role's home leads to its own tasks (the helpdesk's are not the campaigns).
        taches=[e for e in menu_de_gestion(request, "campagnes") if e["tache"]],
    )


@roles.administration
def campagne(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    echeances = calendrier.echeancier(campagne)
    return rendre_gestion(
        request,
        "organisation/campagne.html",
        campagne.nom,
        fil_ariane=[],
        campagne=campagne,
        echeances=echeances,
        prochaine=calendrier.prochaine(echeances),
        etat=etat_de_la_campagne(campagne),
        operations=operations(campagne.slug),
    )


def _fil_de(campagne: Campagne) -> list[dict[str, str]]:
    return [{"url": reverse("gestion:campagne", args=[campagne.slug]), "titre": campagne.nom}]


@roles.administration
def nouvelle_campagne(request: HttpRequest) -> HttpResponse:
    return _formulaire_campagne(request, Campagne())


@roles.administration
def modifier_campagne(request: HttpRequest, slug: str) -> HttpResponse:
    return _formulaire_campagne(request, get_object_or_404(Campagne, slug=slug))


def _formulaire_campagne(request: HttpRequest, campagne: Campagne) -> HttpResponse:
    nouvelle = campagne.pk is None
    formulaire = FormulaireCampagne(request.POST or None, instance=campagne)
    if request.method == "POST" and formulaire.is_valid():
        campagne = formulaire.save()
        journaliser(
            "campagne.creee" if nouvelle else "campagne.modifiee",
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
            campagne=campagne.slug,
            champs=sorted(formulaire.changed_data),
        )
        messages.success(
            request, "La campagne est créée." if nouvelle else "La campagne est enregistrée."
        )
        return redirect("gestion:campagne", slug=campagne.slug)
    return rendre_gestion(
        request,
        "organisation/formulaire_campagne.html",
        "Nouvelle campagne" if nouvelle else "Dates et textes de la campagne",
        fil_ariane=[] if nouvelle else _fil_de(campagne),
        form=formulaire,
        nouvelle=nouvelle,
    )


@roles.administration
def scrutins(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    formulaire = FormulaireScrutins(request.POST or None, request.FILES or None)
    rapport = None
    if request.method == "POST" and formulaire.is_valid():
        rapport = importer_scrutins(
            campagne=campagne,
            fichier=formulaire.cleaned_data["fichier"],
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
        )
        if not rapport.refuse:
            messages.success(
                request,
                f"Scrutins importés : {rapport.crees} créé(s), {rapport.modifies} modifié(s), "
                f"{rapport.inchanges} inchangé(s).",
            )
            return redirect("gestion:scrutins", slug=campagne.slug)
    return rendre_gestion(
        request,
        "organisation/scrutins.html",
        "Scrutins de la campagne",
        fil_ariane=_fil_de(campagne),
        campagne=campagne,
        scrutins=scrutins_et_effectifs(campagne),
        form=formulaire,
        rapport=rapport,
        colonnes=COLONNES,
    )


@roles.administration
def presentation(request: HttpRequest) -> HttpResponse:
    """The portal's bloc-marque: the administration running the elections, on every page."""
    actuelle = "\n".join(presentation_du_portail.marque_du_portail())
    formulaire = FormulaireMarque(request.POST or None, initial={"marque": actuelle})
    if request.method == "POST" and formulaire.is_valid():
        changer_la_marque(
            formulaire.cleaned_data["marque"],
            compte_id=request.user.pk,
            ip=adresse_du_client(request),
        )
        messages.success(request, "La marque du portail est enregistrée.")
        return redirect("gestion:presentation")
    return rendre_gestion(
        request,
        "organisation/presentation.html",
        "Présentation du portail",
        rubrique="portail",
        fil_ariane=[],
        form=formulaire,
    )
