"""Back-office screens of the claims: the list, a claim, and its decision."""

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from isoloir.accounts.models import Compte
from isoloir.core.requetes import adresse_du_client
from isoloir.counting.scellement import est_scelle
from isoloir.elections.models import Campagne, Inscription
from isoloir.gestion import roles
from isoloir.gestion.pages import rendre_gestion
from isoloir.reclamations import services
from isoloir.reclamations.forms import AcceptationForm, RejetForm
from isoloir.reclamations.models import (
    LIBELLES_COURTS,
    PieceJointe,
    Reclamation,
    StatutReclamation,
    TypeReclamation,
)
from isoloir.reclamations.views import telecharger

PAR_PAGE = 50


def _compte(request: HttpRequest) -> Compte:
    # The role decorators let only a logged-in account through.
    assert isinstance(request.user, Compte)
    return request.user


def _ariane() -> list[dict[str, str]]:
    return [{"url": reverse("gestion_reclamations:liste"), "titre": "Réclamations"}]


@roles.administration
def liste(request: HttpRequest) -> HttpResponse:
    campagnes = list(Campagne.objects.order_by("-ouverture"))
    filtres = {
        "campagne": request.GET.get("campagne", ""),
        "statut": request.GET.get("statut", ""),
        "type": request.GET.get("type", ""),
    }
    reclamations = Reclamation.objects.select_related("campagne", "scrutin", "electeur").order_by(
        "-depose_le", "-pk"
    )
    campagne = next((c for c in campagnes if c.slug == filtres["campagne"]), None)
    if campagne is not None:
        reclamations = reclamations.filter(campagne=campagne)
    else:
        filtres["campagne"] = ""
    if filtres["type"] in TypeReclamation.values:
        reclamations = reclamations.filter(type=filtres["type"])
    else:
        filtres["type"] = ""
    # The counts by status are those of the other filters, so that each reads as "how
    # many of these are still to decide".
    comptes = dict(
        reclamations.order_by()
        .values_list("statut")
        .annotate(n=Count("pk"))
        .values_list("statut", "n")
    )
    if filtres["statut"] in StatutReclamation.values:
        reclamations = reclamations.filter(statut=filtres["statut"])
    else:
        filtres["statut"] = ""
    page = Paginator(reclamations, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = "&".join(f"{k}={v}" for k, v in filtres.items() if v)
    return rendre_gestion(
        request,
        "reclamations/gestion/liste.html",
        "Réclamations sur les listes électorales",
        rubrique="reclamations",
        fil_ariane=[],
        page=page,
        filtres=filtres,
        parametres=parametres,
        campagnes=campagnes,
        statuts=StatutReclamation.choices,
        types=list(LIBELLES_COURTS.items()),
        comptes=[
            (valeur, libelle, comptes.get(valeur, 0))
            for valeur, libelle in StatutReclamation.choices
        ],
        total=sum(comptes.values()),
    )


def _rendre_detail(
    request: HttpRequest,
    reclamation: Reclamation,
    *,
    acceptation: AcceptationForm | None = None,
    rejet: RejetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    inscriptions = (
        Inscription.objects.filter(
            electeur_id=reclamation.electeur_id, scrutin__campagne_id=reclamation.campagne_id
        )
        .select_related("scrutin")
        .order_by("scrutin__ordre", "scrutin__intitule")
        if reclamation.electeur_id
        else []
    )
    scrutins = {reclamation.scrutin_id, reclamation.scrutin_souhaite_id} - {None}
    reponse = rendre_gestion(
        request,
        "reclamations/gestion/detail.html",
        f"Réclamation {reclamation.reference}",
        rubrique="reclamations",
        fil_ariane=_ariane(),
        reclamation=reclamation,
        pieces=list(reclamation.pieces.all()),
        inscriptions=inscriptions,
        scelle=any(est_scelle(s) for s in scrutins if s is not None),
        acceptation=acceptation or AcceptationForm(reclamation=reclamation, prefix="acceptation"),
        rejet=rejet or RejetForm(prefix="rejet"),
    )
    reponse.status_code = status
    return reponse


def _reclamation(pk: int) -> Reclamation:
    return get_object_or_404(
        Reclamation.objects.select_related(
            "campagne",
            "scrutin",
            "scrutin_souhaite",
            "electeur__compte",
            "pris_en_charge_par",
            "decide_par",
        ),
        pk=pk,
    )


@roles.administration
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _rendre_detail(request, _reclamation(pk))


@roles.administration
@require_POST
def prendre_en_charge(request: HttpRequest, pk: int) -> HttpResponse:
    reclamation = _reclamation(pk)
    try:
        services.prendre_en_charge(
            reclamation_id=reclamation.pk,
            compte=_compte(request),
            ip=adresse_du_client(request),
        )
    except services.ReclamationRefusee as refus:
        messages.error(request, refus.message)
    else:
        messages.success(request, f"Vous instruisez la réclamation {reclamation.reference}.")
    return redirect("gestion_reclamations:detail", pk=pk)


@sensitive_post_parameters("acceptation-numen")
@roles.administration
@require_POST
def accepter(request: HttpRequest, pk: int) -> HttpResponse:
    reclamation = _reclamation(pk)
    form = AcceptationForm(request.POST, reclamation=reclamation, prefix="acceptation")
    if not form.is_valid():
        return _rendre_detail(request, reclamation, acceptation=form, status=400)
    try:
        services.accepter(
            reclamation_id=reclamation.pk,
            compte=_compte(request),
            decision=services.Decision(
                motif=form.cleaned_data.get("motif", ""),
                scrutin_souhaite=form.cleaned_data.get("scrutin_souhaite"),
                identite=form.identite(),
                numen=form.cleaned_data.get("numen", ""),
                email=form.cleaned_data.get("email", ""),
            ),
            ip=adresse_du_client(request),
        )
    except services.ReclamationRefusee as refus:
        messages.error(request, refus.message)
        # The form comes back filled, the NUMEN excepted, with the claim as it is now.
        return _rendre_detail(request, _reclamation(pk), acceptation=form, status=409)
    messages.success(
        request,
        f"La réclamation {reclamation.reference} est acceptée : la liste électorale est "
        "rectifiée et le réclamant est prévenu par courriel.",
    )
    return redirect("gestion_reclamations:detail", pk=pk)


@roles.administration
@require_POST
def rejeter(request: HttpRequest, pk: int) -> HttpResponse:
    reclamation = _reclamation(pk)
    form = RejetForm(request.POST, prefix="rejet")
    if not form.is_valid():
        return _rendre_detail(request, reclamation, rejet=form, status=400)
    try:
        services.rejeter(
            reclamation_id=reclamation.pk,
            compte=_compte(request),
            motif=form.cleaned_data["motif"],
            ip=adresse_du_client(request),
        )
    except services.ReclamationRefusee as refus:
        messages.error(request, refus.message)
        return _rendre_detail(request, _reclamation(pk), rejet=form, status=409)
    messages.success(
        request,
        f"La réclamation {reclamation.reference} est rejetée ; le réclamant est prévenu par "
        "courriel.",
    )
    return redirect("gestion_reclamations:detail", pk=pk)


@roles.administration
def piece_jointe(request: HttpRequest, pk: int, piece_id: int) -> HttpResponse:
    piece = PieceJointe.objects.filter(pk=piece_id, reclamation_id=pk).first()
    if piece is None:
        raise Http404("Pièce jointe introuvable.")
    # A streamed file, which the role decorators pass through like any response.
    return cast(HttpResponse, telecharger(piece))
