"""Screens of the code de vote and of the réassort, as in the reference document."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from isoloir.accounts.models import Electeur
from isoloir.accounts.question_defi import LIBELLES
from isoloir.captcha.forms import preparer_captcha
from isoloir.core.formulaire_expire import reprise_apres_expiration
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.elections.pages import electeur_et_campagne
from isoloir.franceconnect.services import connecte_a_franceconnect
from isoloir.links.services import LienInvalide
from isoloir.votecode import reassort, services
from isoloir.votecode.forms import DemandeReassortForm, SaisieCodeForm

SECRETS_POSTES = ("code_de_vote", "reponse_defi", "numen", "mobile", "email_personnel", "token")


def _electeur_requis(request: HttpRequest) -> Electeur:
    electeur, _ = electeur_et_campagne(request)
    if electeur is None:
        raise Http404("Ce compte n'est inscrit sur aucune liste électorale.")
    return electeur


def _ariane() -> list[dict[str, str]]:
    return [{"url": reverse("portail:accueil"), "titre": "Accueil"}]


# Nothing of this form is kept (a code de vote, a CAPTCHA): the voter is told why.
@reprise_apres_expiration(connexion_requise=True)
@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
@login_required
def saisie_code(request: HttpRequest) -> HttpResponse:
    electeur = _electeur_requis(request)
    if services.espace_ouvert(session=request.session, electeur=electeur):
        return redirect("booth:espace_de_vote")
    form = SaisieCodeForm(request.POST if request.method == "POST" else None)
    refus = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.verifier_et_ouvrir(
                    session=request.session,
                    electeur=electeur,
                    saisie=form.cleaned_data["code_de_vote"],
                    ip=adresse_du_client(request),
                )
            except services.CodeRefuse as erreur:
                refus = erreur.message
            else:
                return redirect("booth:espace_de_vote")
        else:
            refus = services.CodeRefuse.message
        # Whatever was wrong, one message, a new CAPTCHA, and the code is not sent back.
        form = SaisieCodeForm()
    statut = preparer_captcha(request, form)
    reponse = rendre_page(
        request,
        "votecode/saisie_code.html",
        "Saisie du code de vote",
        form=form,
        refus=refus,
        rubrique="vote",
        fil_ariane=_ariane(),
    )
    reponse.status_code = statut
    return reponse


@login_required
def fermer_espace(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.fermer_espace(session=request.session)
    return redirect("portail:accueil")


@login_required
def choix_reassort(request: HttpRequest) -> HttpResponse:
    _electeur_requis(request)
    return rendre_page(
        request,
        "votecode/choix_reassort.html",
        "Choix du réassort de votre code de vote",
        franceconnect=bool(settings.ISOLOIR_FC_ISSUER),
        rubrique="vote",
        fil_ariane=_ariane(),
    )


@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
@login_required
def demande_reassort(request: HttpRequest) -> HttpResponse:
    electeur = _electeur_requis(request)
    form = DemandeReassortForm(
        request.POST if request.method == "POST" else None,
        email_professionnel=electeur.compte.email,
    )
    refus = None
    if request.method == "POST" and form.is_valid():
        try:
            envoi = reassort.demander_par_question(
                electeur=electeur,
                reponse=form.cleaned_data["reponse_defi"],
                numen_saisi=form.cleaned_data["numen"],
                canal=reassort.Canal(form.cleaned_data["canal"]),
                destination=form.cleaned_data["destination"],
                ip=adresse_du_client(request),
            )
        except reassort.ReassortRefuse as erreur:
            refus = erreur.message
        else:
            return rendre_page(
                request,
                "votecode/lien_envoye.html",
                "Demande de réassort du code de vote",
                envoi=envoi,
                rubrique="vote",
                fil_ariane=_ariane(),
            )
    return rendre_page(
        request,
        "votecode/demande_reassort.html",
        "Demande de réassort du code de vote",
        form=form,
        refus=refus,
        question=LIBELLES.get(electeur.question_defi, ""),
        rubrique="vote",
        fil_ariane=_ariane(),
    )


def _lien_refuse(request: HttpRequest, erreur: LienInvalide) -> HttpResponse:
    reassort.journaliser_lien_refuse(erreur=erreur, ip=adresse_du_client(request))
    return rendre_page(
        request, "votecode/lien_refuse.html", "Réassort du code de vote", erreur=erreur.message
    )


@sensitive_post_parameters(*SECRETS_POSTES)
def reassort_code_vote(request: HttpRequest) -> HttpResponse:
    """The page of the link. GET shows the button; POST draws the new code and shows it,
    once: the response is never stored, and the link is spent."""
    donnees = request.POST if request.method == "POST" else request.GET
    jeton, electeur_id = donnees.get("token", ""), donnees.get("electeurId", "")
    try:
        if request.method == "POST":
            nouveau = reassort.regenerer(
                jeton=jeton,
                electeur_id=electeur_id,
                ip=adresse_du_client(request),
                compte_connecte=request.user.pk if request.user.is_authenticated else None,
            )
            reponse = rendre_page(
                request,
                "votecode/nouveau_code.html",
                "Réassort du code de vote",
                code=nouveau,
                secondes=settings.ISOLOIR_CODE_AFFICHE_SECONDS,
                connecte_fc=_connecte_a_franceconnect(request),
            )
        else:
            reassort.electeur_du_lien(jeton=jeton, electeur_id=electeur_id)
            reponse = rendre_page(
                request,
                "votecode/reassort_code_vote.html",
                "Réassort du code de vote",
                token=jeton,
                electeur_id=electeur_id,
            )
    except LienInvalide as erreur:
        reponse = _lien_refuse(request, erreur)
    except reassort.ReassortRefuse as erreur:
        reponse = rendre_page(
            request,
            "votecode/lien_refuse.html",
            "Réassort du code de vote",
            erreur=erreur.message,
        )
    add_never_cache_headers(reponse)  # no-store: back, reload and history show nothing
    return reponse


def _connecte_a_franceconnect(request: HttpRequest) -> bool:
    return connecte_a_franceconnect(session=request.session)


def reassort_termine(request: HttpRequest) -> HttpResponse:
    return rendre_page(
        request,
        "votecode/reassort_termine.html",
        "Réassort du code de vote",
        connecte_fc=_connecte_a_franceconnect(request),
    )
