"""The helpdesk's screens: the requests, the voters' state, the réassort lock."""

import re
from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from isoloir.accounts.models import Compte, Electeur
from isoloir.assistance import electeurs as selection
from isoloir.assistance import services
from isoloir.assistance.forms import (
    FiltreDemandesForm,
    RechercheElecteurForm,
    ReponseForm,
    VerificationIdentiteForm,
)
from isoloir.assistance.models import DemandeAssistance, Statut
from isoloir.core.requetes import adresse_du_client
from isoloir.gestion import roles
from isoloir.gestion.pages import rendre_gestion

_NUMERO = re.compile(r"^[A-Z0-9]{4}-?[A-Z0-9]{4}$")


def _agent(request: HttpRequest) -> Compte:
    return cast(Compte, request.user)


def _ariane_demandes() -> list[dict[str, str]]:
    return [{"url": reverse("gestion_assistance:demandes"), "titre": "Assistance"}]


def _ariane_electeurs() -> list[dict[str, str]]:
    return [{"url": reverse("gestion_assistance:electeurs"), "titre": "Électeurs"}]


def _filtrer(form: FiltreDemandesForm) -> QuerySet[DemandeAssistance]:
    demandes = DemandeAssistance.objects.select_related("prise_par").order_by("-cree_le")
    if not form.is_valid():
        return demandes
    if form.cleaned_data["statut"]:
        demandes = demandes.filter(statut=form.cleaned_data["statut"])
    if form.cleaned_data["categorie"]:
        demandes = demandes.filter(categorie=form.cleaned_data["categorie"])
    texte = " ".join(form.cleaned_data["q"].split())
    if _NUMERO.fullmatch(texte.upper()):
        numero = texte.upper().replace("-", "")
        demandes = demandes.filter(numero=f"{numero[:4]}-{numero[4:]}")
    elif "@" in texte:
        demandes = demandes.filter(email__startswith=texte.lower())
    elif texte:
        demandes = demandes.filter(Q(nom__icontains=texte))
    return demandes


@roles.assistance
def demandes(request: HttpRequest) -> HttpResponse:
    form = FiltreDemandesForm(request.GET)
    page = Paginator(_filtrer(form), 25).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return rendre_gestion(
        request,
        "assistance/gestion/demandes.html",
        "Demandes d'assistance",
        rubrique="assistance",
        fil_ariane=[],
        form=form,
        page=page,
        parametres=parametres.urlencode(),
    )


def _page_demande(
    request: HttpRequest,
    demande: DemandeAssistance,
    *,
    form_reponse: ReponseForm | None = None,
    erreur: str = "",
) -> HttpResponse:
    agent = _agent(request)
    # Filed while logged in: the voter is the account's, not whoever the typed address
    # names; only an anonymous request falls back to its (unverified) address.
    compte_lie = services.compte_de_la_demande(demande)
    electeur = Electeur.objects.filter(compte=compte_lie).only("pk").first() if compte_lie else None
    a_moi = demande.statut == Statut.EN_COURS and demande.prise_par_id == agent.pk
    return rendre_gestion(
        request,
        "assistance/gestion/demande.html",
        f"Demande n° {demande.numero}",
        rubrique="assistance",
        fil_ariane=_ariane_demandes(),
        demande=demande,
        reponses=demande.reponses.select_related("auteur"),
        par_courriel=compte_lie is not None,
        electeur=electeur,
        a_moi=a_moi,
        form_reponse=form_reponse or (ReponseForm() if a_moi else None),
        erreur=erreur,
    )


@roles.assistance
def demande(request: HttpRequest, pk: int) -> HttpResponse:
    return _page_demande(
        request, get_object_or_404(DemandeAssistance.objects.select_related("compte"), pk=pk)
    )


@require_POST
@roles.assistance
def prendre(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(DemandeAssistance, pk=pk)
    try:
        services.prendre(demande_id=pk, agent=_agent(request), ip=adresse_du_client(request))
    except services.ActionImpossible as refus:
        messages.error(request, refus.message)
    else:
        messages.success(request, "Vous avez pris la demande en charge.")
    return redirect("gestion_assistance:demande", pk=pk)


@require_POST
@roles.assistance
def repondre(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_object_or_404(DemandeAssistance, pk=pk)
    form = ReponseForm(request.POST)
    if not form.is_valid():
        return _page_demande(request, demande, form_reponse=form)
    try:
        reponse = services.repondre(
            demande_id=pk,
            agent=_agent(request),
            texte=form.cleaned_data["texte"],
            cle=form.cleaned_data["cle"],
            ip=adresse_du_client(request),
        )
    except services.ActionImpossible as refus:
        return _page_demande(request, demande, form_reponse=form, erreur=refus.message)
    messages.success(
        request,
        "Réponse enregistrée et envoyée par courriel."
        if reponse.canal == "courriel"
        else "Réponse enregistrée comme donnée par téléphone.",
    )
    return redirect("gestion_assistance:demande", pk=pk)


@require_POST
@roles.assistance
def clore(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(DemandeAssistance, pk=pk)
    try:
        services.clore(demande_id=pk, agent=_agent(request), ip=adresse_du_client(request))
    except services.ActionImpossible as refus:
        messages.error(request, refus.message)
    else:
        messages.success(request, "La demande est résolue.")
    return redirect("gestion_assistance:demande", pk=pk)


@roles.assistance
def electeurs(request: HttpRequest) -> HttpResponse:
    form = RechercheElecteurForm(request.GET if "q" in request.GET else None)
    resultats = None
    if form.is_valid():
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        resultats = selection.rechercher(form.cleaned_data["q"], page)
        selection.journaliser_recherche(
            form.cleaned_data["q"], resultats, agent=_agent(request), ip=adresse_du_client(request)
        )
    return rendre_gestion(
        request,
        "assistance/gestion/electeurs.html",
        "Rechercher un électeur",
        rubrique="electeurs",
        fil_ariane=[],
        form=form,
        resultats=resultats,
        q=form.cleaned_data["q"] if form.is_valid() else "",
    )


def _page_electeur(
    request: HttpRequest, pk: int, *, form: VerificationIdentiteForm | None = None, erreur: str = ""
) -> HttpResponse:
    get_object_or_404(Electeur.objects.only("pk"), pk=pk)
    etat = selection.consulter(electeur_id=pk, agent=_agent(request), ip=adresse_du_client(request))
    electeur = etat.electeur
    return rendre_gestion(
        request,
        "assistance/gestion/electeur.html",
        f"{electeur.civilite} {electeur.prenoms} {electeur.nom}",
        rubrique="electeurs",
        fil_ariane=_ariane_electeurs(),
        etat=etat,
        form=form or VerificationIdentiteForm(),
        erreur=erreur,
    )


@roles.assistance
def electeur(request: HttpRequest, pk: int) -> HttpResponse:
    return _page_electeur(request, pk)


@sensitive_post_parameters("date_naissance", "lieu_naissance")
@require_POST
@roles.assistance
def deverrouiller(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(Electeur.objects.only("pk"), pk=pk)
    form = VerificationIdentiteForm(request.POST)
    if not form.is_valid():
        return _page_electeur(request, pk, form=form)
    try:
        selection.lever_le_verrou(
            electeur_id=pk,
            agent=_agent(request),
            date_naissance=form.cleaned_data["date_naissance"],
            lieu_naissance=form.cleaned_data["lieu_naissance"],
            ip=adresse_du_client(request),
        )
    except services.ActionImpossible as refus:
        # The typed values are not sent back: the next try is typed from what is said.
        return _page_electeur(request, pk, erreur=refus.message)
    messages.success(
        request,
        "Identité vérifiée : le verrou du réassort est levé. L'électeur en est informé par "
        "courriel sur son adresse professionnelle.",
    )
    return redirect("gestion_assistance:electeur", pk=pk)
