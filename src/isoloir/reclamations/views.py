"""Portal pages of the claims: filing one (with or without an account), the receipt, and
the voter's list of claims."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from isoloir.captcha.forms import preparer_captcha
from isoloir.core import horloge, soumission
from isoloir.core.formulaire_expire import champs_repris, reprise_apres_expiration
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.elections.calendrier import calendrier, reclamations_ouvertes
from isoloir.elections.models import Campagne
from isoloir.elections.pages import electeur_et_campagne
from isoloir.reclamations import services
from isoloir.reclamations.forms import ReclamationForm, ReclamationSansCompteForm
from isoloir.reclamations.models import CHAMPS_D_IDENTITE_RECLAMES, PieceJointe, Reclamation
from isoloir.reclamations.pieces import TAILLE_MAX_ENVOI

# The claims filed without an account from this browser: only they show a receipt.
SESSION_SANS_COMPTE = "reclamations_sans_compte"
DEJA_ENVOYE = (
    "Ce formulaire avait déjà été envoyé : votre réclamation n'a été enregistrée qu'une fois."
)


def _ariane() -> list[dict[str, str]]:
    return [{"url": reverse("portail:accueil"), "titre": "Accueil"}]


def _rendre(request: HttpRequest, gabarit: str, titre: str, **contexte: object) -> HttpResponse:
    return rendre_page(
        request, gabarit, titre, rubrique="scrutins", fil_ariane=_ariane(), **contexte
    )


TROP_VOLUMINEUX = (
    "Votre envoi dépasse 16 Mo : il n'a pas été enregistré. Joignez au plus 3 fichiers de "
    "5 Mo chacun, par exemple en numérisant vos documents en résolution plus faible."
)


def _taille_d_envoi_limitee(
    vue: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Refuse a post whose declared length exceeds what the form can legitimately hold,
    before anything reads its body.

    The CSRF middleware reads ``request.POST`` (so spools the whole upload to disk) before
    any view runs: the view is exempted from it, the length is checked, then the same CSRF
    check runs through ``csrf_protect`` — Django's documented pattern for upload views. A
    body without a valid CONTENT_LENGTH is read by Django as empty, so it needs no check.
    """
    protegee = csrf_protect(vue)

    @wraps(vue)
    def envelopper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            longueur = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            longueur = 0
        if request.method == "POST" and longueur > TAILLE_MAX_ENVOI:
            reponse = _rendre(
                request,
                "reclamations/envoi_trop_volumineux.html",
                "Envoi trop volumineux",
                message=TROP_VOLUMINEUX,
                retour=request.path,
            )
            reponse.status_code = 413
            return reponse
        return protegee(request, *args, **kwargs)

    return csrf_exempt(envelopper)


@never_cache
@reprise_apres_expiration(
    "type",
    "scrutin",
    "scrutin_souhaite",
    *CHAMPS_D_IDENTITE_RECLAMES,
    "explication",
    connexion_requise=True,
)
@login_required
@_taille_d_envoi_limitee
def deposer(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    titre = "Formuler une réclamation"
    if electeur is None or campagne is None:
        return _rendre(request, "reclamations/deposer.html", titre, sans_inscription=True)
    if not reclamations_ouvertes(campagne):
        return _rendre(
            request, "reclamations/deposer.html", titre, fermees=services.message_periode(campagne)
        )
    form: ReclamationForm
    if request.method == "POST":
        form = ReclamationForm(request.POST, request.FILES, electeur=electeur, campagne=campagne)
        if form.is_valid():
            d = form.cleaned_data
            try:
                depot = services.deposer(
                    electeur=electeur,
                    campagne=campagne,
                    type=d["type"],
                    scrutin=d["scrutin"],
                    scrutin_souhaite=d.get("scrutin_souhaite"),
                    explication=d["explication"],
                    identite=d,
                    pieces=d["pieces"],
                    jeton=d["jeton"],
                    ip=adresse_du_client(request),
                )
            except services.ReclamationRefusee as refus:
                form.add_error(None, refus.message)
            else:
                if not depot.cree:
                    messages.info(request, DEJA_ENVOYE)
                return redirect("reclamations:confirmation", pk=depot.reclamation.pk)
    else:
        form = ReclamationForm(initial=champs_repris(request), electeur=electeur, campagne=campagne)
    periode = calendrier(campagne).reclamations
    return _rendre(
        request,
        "reclamations/deposer.html",
        titre,
        form=form,
        fin=periode.fin if periode else None,
        mes_scrutins=form.inscrits,
    )


@never_cache
@reprise_apres_expiration(*CHAMPS_D_IDENTITE_RECLAMES, "email", "scrutin", "explication")
@_taille_d_envoi_limitee
def deposer_sans_compte(request: HttpRequest) -> HttpResponse:
    titre = "Réclamation d'une personne absente des listes électorales"
    campagnes = services.campagnes_ouvertes()
    if not campagnes:
        return _rendre(
            request,
            "reclamations/deposer_sans_compte.html",
            titre,
            fermees=_periodes_a_venir() or ["Aucune réclamation n'est possible actuellement."],
        )
    form: ReclamationSansCompteForm
    if request.method == "POST":
        deja = services.deja_deposee_sans_compte(soumission.lire_cle(request.POST.get("jeton")))
        if deja is not None:
            # The same form posted twice: its CAPTCHA was spent by the first post.
            _retenir(request, deja)
            messages.info(request, DEJA_ENVOYE)
            return redirect("reclamations:confirmation", pk=deja.pk)
        form = ReclamationSansCompteForm(request.POST, request.FILES, campagnes=campagnes)
        if form.is_valid():
            d = form.cleaned_data
            try:
                depot = services.deposer_sans_compte(
                    scrutin=d["scrutin"],
                    explication=d["explication"],
                    identite=d,
                    email=d["email"],
                    pieces=d["pieces"],
                    jeton=d["jeton"],
                    ip=adresse_du_client(request),
                )
            except services.ReclamationRefusee as refus:
                form.add_error(None, refus.message)
            else:
                _retenir(request, depot.reclamation)
                return redirect("reclamations:confirmation", pk=depot.reclamation.pk)
    else:
        form = ReclamationSansCompteForm(initial=champs_repris(request), campagnes=campagnes)
    statut = preparer_captcha(request, form)
    reponse = _rendre(request, "reclamations/deposer_sans_compte.html", titre, form=form)
    reponse.status_code = statut
    return reponse


def _periodes_a_venir() -> list[str]:
    """The claim periods of the campaigns not yet over, for the closed form's message."""
    return [
        services.message_periode(c)
        for c in Campagne.objects.filter(cloture__gt=horloge.maintenant()).order_by("ouverture")
    ]


def _retenir(request: HttpRequest, reclamation: Reclamation) -> None:
    deposees = [i for i in request.session.get(SESSION_SANS_COMPTE, []) if i != reclamation.pk]
    request.session[SESSION_SANS_COMPTE] = [*deposees, reclamation.pk][-10:]


def _reclamation_visible(request: HttpRequest, pk: int) -> Reclamation:
    reclamation = (
        Reclamation.objects.select_related("campagne", "scrutin", "scrutin_souhaite")
        .filter(pk=pk)
        .first()
    )
    if reclamation is None:
        raise Http404("Réclamation introuvable.")
    electeur, _ = electeur_et_campagne(request) if request.user.is_authenticated else (None, None)
    a_lui = electeur is not None and reclamation.electeur_id == electeur.pk
    deposee_ici = reclamation.sans_compte and pk in request.session.get(SESSION_SANS_COMPTE, [])
    if not (a_lui or deposee_ici):
        raise Http404("Réclamation introuvable.")
    return reclamation


@never_cache
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    reclamation = _reclamation_visible(request, pk)
    return _rendre(
        request,
        "reclamations/confirmation.html",
        f"Réclamation {reclamation.reference} enregistrée",
        reclamation=reclamation,
        pieces=list(reclamation.pieces.all()),
    )


@never_cache
@login_required
def mes_reclamations(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    reclamations: Any = []
    if electeur is not None:
        reclamations = (
            Reclamation.objects.filter(electeur=electeur)
            .select_related("campagne", "scrutin", "scrutin_souhaite")
            .prefetch_related(Prefetch("pieces", queryset=PieceJointe.objects.order_by("pk")))
            .order_by("-depose_le")
        )
    return _rendre(
        request,
        "reclamations/mes_reclamations.html",
        "Mes réclamations",
        reclamations=reclamations,
        ouvertes=bool(campagne and reclamations_ouvertes(campagne)),
    )


@never_cache
@login_required
def piece_jointe(request: HttpRequest, pk: int, piece_id: int) -> FileResponse:
    electeur, _ = electeur_et_campagne(request)
    piece = (
        PieceJointe.objects.filter(
            pk=piece_id, reclamation_id=pk, reclamation__electeur=electeur
        ).first()
        if electeur
        else None
    )
    if piece is None:
        raise Http404("Pièce jointe introuvable.")
    return telecharger(piece)


def telecharger(piece: PieceJointe) -> FileResponse:
    """The file as a download, with the type its first bytes showed: a browser never
    renders a claimant's file as a page of this site."""
    return FileResponse(
        piece.fichier.open("rb"),
        as_attachment=True,
        filename=piece.nom,
        content_type=piece.type_mime,
    )
