"""The FranceConnect path of the réassort: start, callback, logout.

Views parse input, call one service, render; the rules live in ``services.py``.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isoloir.accounts.models import Electeur
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.franceconnect import selectors, services
from isoloir.franceconnect.client import ErreurFranceConnect
from isoloir.franceconnect.services import IdentiteDiscordante
from isoloir.votecode import reassort

TITRE = "Réassort par FranceConnect"
LIBELLES_ECARTS = {
    "date_naissance": "la date de naissance",
    "nom": "le nom de naissance ou d'usage",
    "prenom": "le premier prénom",
}

Vue = Callable[..., HttpResponse]


def _si_propose(vue: Vue) -> Vue:
    """404 when FranceConnect is not configured, before anything else (login included)."""

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not services.propose():
            raise Http404("FranceConnect n'est pas proposé.")
        return vue(request, *args, **kwargs)

    return enveloppe


def _electeur(request: HttpRequest) -> Electeur:
    electeur = selectors.electeur_connecte(utilisateur=request.user)
    if electeur is None:
        raise Http404("Ce compte n'est pas celui d'un électeur.")
    return electeur


def _echec(
    request: HttpRequest,
    *,
    erreur: str = "",
    discordance: IdentiteDiscordante | None = None,
    statut: int = 200,
) -> HttpResponse:
    ecarts = discordance.comparaison.ecarts if discordance else []
    reponse = rendre_page(
        request,
        "franceconnect/echec.html",
        TITRE,
        erreur=erreur,
        ecarts=[LIBELLES_ECARTS[e] for e in ecarts],
        date_presumee=bool(
            discordance
            and "date_naissance" in ecarts
            and discordance.identite.date_peut_etre_presumee
        ),
        connecte_fc=services.connecte_a_franceconnect(session=request.session),
        rubrique="vote",
    )
    reponse.status_code = statut
    return reponse


@never_cache
@_si_propose
@login_required
@require_http_methods(["GET", "POST"])
def connexion(request: HttpRequest) -> HttpResponse:
    electeur = _electeur(request)
    try:
        # Before the trip to FranceConnect, not only on the way back.
        reassort.verifier_ouvert(electeur=electeur, ip=adresse_du_client(request))
    except reassort.ReassortRefuse as refus:
        return _echec(request, erreur=refus.message)
    try:
        url = services.demarrer(
            session=request.session, compte_id=electeur.compte_id, ip=adresse_du_client(request)
        )
    except ErreurFranceConnect as erreur:
        return _echec(request, erreur=erreur.message, statut=erreur.statut)
    return redirect(url)


@never_cache
@_si_propose
@login_required
@require_GET
def retour(request: HttpRequest) -> HttpResponse:
    electeur = _electeur(request)
    try:
        essais = reassort.compter_tentative(electeur=electeur, ip=adresse_du_client(request))
    except reassort.ReassortRefuse as refus:
        return _echec(request, erreur=refus.message)
    try:
        services.conclure(
            session=request.session,
            parametres=request.GET,
            electeur=electeur,
            ip=adresse_du_client(request),
        )
    except IdentiteDiscordante as discordance:
        # A mismatch counts like a wrong answer to the question défi.
        try:
            reassort.signaler_echec(electeur=electeur, ip=adresse_du_client(request), essais=essais)
        except reassort.ReassortBloque as blocage:
            return _echec(request, erreur=blocage.message)
        return _echec(request, discordance=discordance)
    except ErreurFranceConnect as erreur:
        return _echec(request, erreur=erreur.message, statut=erreur.statut)
    try:
        return reassort.ouvrir_par_franceconnect(request=request, electeur=electeur)
    except reassort.ReassortRefuse as refus:
        return _echec(request, erreur=refus.message)


@_si_propose
@require_POST
def deconnexion(request: HttpRequest) -> HttpResponse:
    compte_id = request.user.pk if request.user.is_authenticated else None
    try:
        url = services.deconnecter(
            session=request.session, compte_id=compte_id, ip=adresse_du_client(request)
        )
    except ErreurFranceConnect as erreur:
        return _echec(request, erreur=erreur.message, statut=erreur.statut)
    if url.startswith("/"):  # no FranceConnect login in this session: back home
        return redirect(url)
    # Not a redirect: the portal's CSP (form-action 'self') also governs where a form's
    # POST is redirected, and would stop the browser at FranceConnect's door. A page that
    # moves on by itself starts a new navigation, which the policy allows.
    return rendre_page(request, "franceconnect/deconnexion.html", TITRE, url=url)


@never_cache
@_si_propose
@require_GET
def deconnexion_retour(request: HttpRequest) -> HttpResponse:
    if services.conclure_deconnexion(
        session=request.session,
        state=request.GET.get("state", ""),
        compte_id=request.user.pk if request.user.is_authenticated else None,
        ip=adresse_du_client(request),
    ):
        messages.success(request, "Vous êtes déconnecté de FranceConnect.")
    return redirect("portail:accueil")
