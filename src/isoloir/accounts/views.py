"""Portal pages of the account: login, activation, password, home, information pages.

Views parse input, call one service, render; the rules live in ``services.py``.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from isoloir.accounts import question_defi, services
from isoloir.accounts.forms import (
    ActivationForm,
    ChangementMotDePasseForm,
    ChangementQuestionDefiForm,
    ConnexionForm,
    MotDePasseOublieForm,
    ReinitialisationForm,
)
from isoloir.accounts.models import Compte
from isoloir.accounts.pages import electeur_et_campagne, rendre_page
from isoloir.core.dates import aujourd_hui
from isoloir.core.formulaire_expire import champs_repris, reprise_apres_expiration
from isoloir.core.requests import client_ip
from isoloir.elections import selectors
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
                ip=client_ip(request),
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
                ip=client_ip(request),
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
        services.demander_reinitialisation(email=form.cleaned_data["email"], ip=client_ip(request))
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
                jeton=jeton, mot_de_passe=form.cleaned_data["mot_de_passe"], ip=client_ip(request)
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


@login_required
def accueil(request: HttpRequest) -> HttpResponse:
    _, campagne = electeur_et_campagne(request)
    fenetre = selectors.fenetre_de(campagne) if campagne else None
    return rendre_page(
        request,
        "accounts/accueil.html",
        "Bienvenue sur votre portail Élections",
        rubrique="accueil",
        fenetre=fenetre,
        compte_a_rebours=selectors.compte_a_rebours(fenetre) if fenetre else None,
    )


def _compte(request: HttpRequest) -> Compte:
    """The logged-in account (behind ``login_required``)."""
    assert isinstance(request.user, Compte)
    return request.user


def _fil_mon_compte() -> list[dict[str, str]]:
    return [
        {"url": reverse("accounts:accueil"), "titre": "Accueil"},
        {"url": reverse("accounts:mes_informations"), "titre": "Mes informations personnelles"},
    ]


@login_required
def mes_informations(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    question = question_defi.LIBELLES.get(electeur.question_defi, "") if electeur else ""
    return rendre_page(
        request,
        "accounts/mes_informations.html",
        "Mes informations personnelles",
        question=question,
        scrutins=selectors.scrutins_de(electeur, campagne) if electeur and campagne else [],
        code_de_vote=selectors.code_de_vote_de(electeur) if electeur else None,
        rubrique="compte",
        fil_ariane=[{"url": reverse("accounts:accueil"), "titre": "Accueil"}],
    )


@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
@login_required
def changer_mot_de_passe(request: HttpRequest) -> HttpResponse:
    form = ChangementMotDePasseForm(
        request.POST if request.method == "POST" else None, compte=_compte(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            compte = services.changer_mot_de_passe(
                compte_id=_compte(request).pk,
                actuel=form.cleaned_data["mot_de_passe_actuel"],
                nouveau=form.cleaned_data["mot_de_passe"],
                ip=client_ip(request),
            )
        except services.ChangementRefuse as refus:
            champ = None if isinstance(refus, services.ChangementBloque) else "mot_de_passe_actuel"
            form.add_error(champ, refus.message)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            # This session stays open; the account's other sessions end (see the service).
            update_session_auth_hash(request, compte)
            messages.success(
                request,
                "Votre mot de passe élections a été modifié. Un courriel d'information a été "
                "envoyé à votre adresse professionnelle ; vos autres sessions sont fermées.",
            )
            return redirect("accounts:mes_informations")
    return rendre_page(
        request,
        "accounts/changer_mot_de_passe.html",
        "Changer mon mot de passe élections",
        form=form,
        rubrique="compte",
        fil_ariane=_fil_mon_compte(),
    )


@sensitive_post_parameters(*SECRETS_POSTES)
@never_cache
@login_required
def changer_question_defi(request: HttpRequest) -> HttpResponse:
    electeur, _ = electeur_et_campagne(request)
    if electeur is None:
        raise Http404("Ce compte n'a pas de question défi.")
    form = ChangementQuestionDefiForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.changer_question_defi(
                electeur_id=electeur.pk,
                reponse_actuelle=form.cleaned_data["reponse_actuelle"],
                question=form.cleaned_data["question_defi"],
                reponse=form.cleaned_data["reponse_defi"],
                ip=client_ip(request),
            )
        except services.ChangementRefuse as refus:
            champ = None if isinstance(refus, services.ChangementBloque) else "reponse_actuelle"
            form.add_error(champ, refus.message)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                "Votre question défi a été modifiée. Un courriel d'information a été envoyé à "
                "votre adresse professionnelle.",
            )
            return redirect("accounts:mes_informations")
    return rendre_page(
        request,
        "accounts/changer_question_defi.html",
        "Changer ma question défi",
        form=form,
        question_actuelle=question_defi.LIBELLES.get(electeur.question_defi, ""),
        rubrique="compte",
        fil_ariane=_fil_mon_compte(),
    )


@never_cache
@login_required
def telecharger_mes_donnees(request: HttpRequest) -> HttpResponse:
    donnees = services.donnees_personnelles(compte_id=_compte(request).pk, ip=client_ip(request))
    contenu = json.dumps(donnees, ensure_ascii=False, indent=2) + "\n"
    reponse = HttpResponse(contenu.encode(), content_type="application/json; charset=utf-8")
    jour = aujourd_hui().isoformat()
    reponse["Content-Disposition"] = f'attachment; filename="mes-donnees-elections-{jour}.json"'
    return reponse


@login_required
def edito(request: HttpRequest) -> HttpResponse:
    return rendre_page(
        request,
        "accounts/edito.html",
        "Édito",
        rubrique="accueil",
        fil_ariane=[{"url": reverse("accounts:accueil"), "titre": "Accueil"}],
    )


def assistance_telephonique(request: HttpRequest) -> HttpResponse:
    return rendre_page(
        request,
        "accounts/assistance_telephonique.html",
        "Assistance téléphonique",
        rubrique="assistance",
    )


def assistance(request: HttpRequest) -> HttpResponse:
    # Public: most people who need it are the ones who cannot log in.
    return rendre_page(
        request,
        "accounts/assistance.html",
        "Demande d'assistance",
        rubrique="assistance",
        fil_ariane=[{"url": reverse("accounts:accueil"), "titre": "Accueil"}],
    )


def accessibilite(request: HttpRequest) -> HttpResponse:
    return rendre_page(request, "accounts/accessibilite.html", "Déclaration d'accessibilité")


def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    return rendre_page(request, "accounts/donnees_personnelles.html", "Données personnelles")
