"""The voter portal's pages: home, « Mes informations personnelles » and its changes, the
export of one's data, the information pages (édito, assistance, accessibility, personal data).

Views parse input, call one service, render; the rules live in the services (the account's
changes in ``accounts.services``, the export in ``portail/services.py``).
"""

import json

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from isoloir.accounts import question_defi
from isoloir.accounts import services as comptes
from isoloir.accounts.forms import ChangementMotDePasseForm, ChangementQuestionDefiForm
from isoloir.accounts.models import Compte
from isoloir.accounts.views import SECRETS_POSTES
from isoloir.core.dates import aujourd_hui
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.elections import selectors
from isoloir.elections.pages import electeur_et_campagne
from isoloir.portail import services
from isoloir.votecode.selectors import code_de_vote_de


@login_required
def accueil(request: HttpRequest) -> HttpResponse:
    _, campagne = electeur_et_campagne(request)
    fenetre = selectors.fenetre_de(campagne) if campagne else None
    return rendre_page(
        request,
        "portail/accueil.html",
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
        {"url": reverse("portail:accueil"), "titre": "Accueil"},
        {"url": reverse("portail:mes_informations"), "titre": "Mes informations personnelles"},
    ]


@login_required
def mes_informations(request: HttpRequest) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    question = question_defi.LIBELLES.get(electeur.question_defi, "") if electeur else ""
    return rendre_page(
        request,
        "portail/mes_informations.html",
        "Mes informations personnelles",
        question=question,
        scrutins=selectors.scrutins_de(electeur, campagne) if electeur and campagne else [],
        code_de_vote=code_de_vote_de(electeur) if electeur else None,
        rubrique="compte",
        fil_ariane=[{"url": reverse("portail:accueil"), "titre": "Accueil"}],
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
            compte = comptes.changer_mot_de_passe(
                compte_id=_compte(request).pk,
                actuel=form.cleaned_data["mot_de_passe_actuel"],
                nouveau=form.cleaned_data["mot_de_passe"],
                ip=adresse_du_client(request),
            )
        except comptes.ChangementRefuse as refus:
            champ = None if isinstance(refus, comptes.ChangementBloque) else "mot_de_passe_actuel"
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
            return redirect("portail:mes_informations")
    return rendre_page(
        request,
        "portail/changer_mot_de_passe.html",
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
            comptes.changer_question_defi(
                electeur_id=electeur.pk,
                reponse_actuelle=form.cleaned_data["reponse_actuelle"],
                question=form.cleaned_data["question_defi"],
                reponse=form.cleaned_data["reponse_defi"],
                ip=adresse_du_client(request),
            )
        except comptes.ChangementRefuse as refus:
            champ = None if isinstance(refus, comptes.ChangementBloque) else "reponse_actuelle"
            form.add_error(champ, refus.message)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                "Votre question défi a été modifiée. Un courriel d'information a été envoyé à "
                "votre adresse professionnelle.",
            )
            return redirect("portail:mes_informations")
    return rendre_page(
        request,
        "portail/changer_question_defi.html",
        "Changer ma question défi",
        form=form,
        question_actuelle=question_defi.LIBELLES.get(electeur.question_defi, ""),
        rubrique="compte",
        fil_ariane=_fil_mon_compte(),
    )


@never_cache
@login_required
def telecharger_mes_donnees(request: HttpRequest) -> HttpResponse:
    donnees = services.donnees_personnelles(
        compte_id=_compte(request).pk, ip=adresse_du_client(request)
    )
    contenu = json.dumps(donnees, ensure_ascii=False, indent=2) + "\n"
    reponse = HttpResponse(contenu.encode(), content_type="application/json; charset=utf-8")
    jour = aujourd_hui().isoformat()
    reponse["Content-Disposition"] = f'attachment; filename="mes-donnees-elections-{jour}.json"'
    return reponse


@login_required
def edito(request: HttpRequest) -> HttpResponse:
    return rendre_page(
        request,
        "portail/edito.html",
        "Édito",
        rubrique="accueil",
        fil_ariane=[{"url": reverse("portail:accueil"), "titre": "Accueil"}],
    )


def assistance_telephonique(request: HttpRequest) -> HttpResponse:
    return rendre_page(
        request,
        "portail/assistance_telephonique.html",
        "Assistance téléphonique",
        rubrique="assistance",
    )


def assistance(request: HttpRequest) -> HttpResponse:
    # Public: most people who need it are the ones who cannot log in.
    return rendre_page(
        request,
        "portail/assistance.html",
        "Demande d'assistance",
        rubrique="assistance",
        fil_ariane=[{"url": reverse("portail:accueil"), "titre": "Accueil"}],
    )


def accessibilite(request: HttpRequest) -> HttpResponse:
    return rendre_page(request, "portail/accessibilite.html", "Déclaration d'accessibilité")


def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    return rendre_page(request, "portail/donnees_personnelles.html", "Données personnelles")
