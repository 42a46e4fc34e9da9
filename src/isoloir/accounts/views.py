"""The account's pages: login, logout, activation, forgotten password.

Views parse input, call one service, render; the rules live in ``services.py``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from isoloir.accounts import services
from isoloir.accounts.forms import (
    ActivationForm,
    ConnexionForm,
    MotDePasseOublieForm,
    ReinitialisationForm,
)
from isoloir.core.formulaire_expire import champs_repris, reprise_apres_expiration
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.links.services import LienInvalide


def _lien_invalide(request: HttpRequest, erreur: LienInvalide, titre: str) -> HttpResponse:
    return rendre_page(request, "accounts/lien_invalide.html", titre, erreur=erreur.message)


# Secrets posted to these views are masked in error reports (DEBUG pages, mailed 500s).
SECRETS_POSTES = (
    "mot_de_passe",
    "confirmation",
    "reponse_defi",
    "token",
    "mot_de_passe_actuel",
    "reponse_actuelle",
)


@reprise_apres_expiration("email")
@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
def connexion(request: HttpRequest) -> HttpResponse:
    suivant = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts={request.get_host()}):
        suivant = ""
    form = ConnexionForm(
        request.POST if request.method == "POST" else None, initial=champs_repris(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            compte = services.authentifier(
                ip=adresse_du_client(request),
                email=form.cleaned_data["email"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
            )
        except services.ConnexionRefusee as refus:
            form.add_error(None, refus.message)
        else:
            login(request, compte)  # also gives the session a new key (fixation)
            return redirect(suivant or settings.LOGIN_REDIRECT_URL)
    return rendre_page(request, "accounts/connexion.html", "Connexion", form=form, suivant=suivant)


@require_POST
def deconnexion(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "Vous êtes déconnecté.")
    return redirect("accounts:connexion")


@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
def activation(request: HttpRequest) -> HttpResponse:
    jeton = request.GET.get("token") or request.POST.get("token") or ""
    titre = "Activation de votre compte électeur"
    try:
        electeur = services.electeur_du_lien_activation(jeton=jeton)
    except LienInvalide as erreur:
        return _lien_invalide(request, erreur, titre)
    form = ActivationForm(
        request.POST if request.method == "POST" else None, compte=electeur.compte
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activer_compte(
                jeton=jeton,
                mot_de_passe=form.cleaned_data["mot_de_passe"],
                question=form.cleaned_data["question_defi"],
                reponse=form.cleaned_data["reponse_defi"],
                ip=adresse_du_client(request),
            )
        except LienInvalide as erreur:
            return _lien_invalide(request, erreur, titre)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                "Votre compte est activé. Connectez-vous avec votre adresse professionnelle et "
                "votre mot de passe élections.",
            )
            return redirect(f"{reverse('accounts:connexion')}")
    return rendre_page(
        request, "accounts/activation.html", titre, form=form, electeur_lien=electeur, token=jeton
    )


@reprise_apres_expiration("email")
@never_cache
def mot_de_passe_oublie(request: HttpRequest) -> HttpResponse:
    form = MotDePasseOublieForm(
        request.POST if request.method == "POST" else None, initial=champs_repris(request)
    )
    if request.method == "POST" and form.is_valid():
        services.demander_reinitialisation(
            email=form.cleaned_data["email"], ip=adresse_du_client(request)
        )
        return rendre_page(
            request,
            "accounts/mot_de_passe_demande.html",
            "Mot de passe oublié",
            email=form.cleaned_data["email"],
        )
    return rendre_page(
        request, "accounts/mot_de_passe_oublie.html", "Mot de passe oublié", form=form
    )


@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
def reinitialisation(request: HttpRequest) -> HttpResponse:
    jeton = request.GET.get("token") or request.POST.get("token") or ""
    titre = "Nouveau mot de passe élections"
    try:
        compte = services.compte_du_lien_reinitialisation(jeton=jeton)
    except LienInvalide as erreur:
        return _lien_invalide(request, erreur, titre)
    form = ReinitialisationForm(request.POST if request.method == "POST" else None, compte=compte)
    if request.method == "POST" and form.is_valid():
        try:
            services.reinitialiser_mot_de_passe(
                jeton=jeton,
                mot_de_passe=form.cleaned_data["mot_de_passe"],
                ip=adresse_du_client(request),
            )
        except LienInvalide as erreur:
            return _lien_invalide(request, erreur, titre)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request, "Votre mot de passe a été modifié. Connectez-vous avec le nouveau."
            )
            return redirect("accounts:connexion")
    return rendre_page(request, "accounts/reinitialisation.html", titre, form=form, token=jeton)
