"""The request form of the portal, for logged-in voters and for those who cannot log in."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from isoloir.accounts.models import Compte
from isoloir.assistance import services
from isoloir.assistance.forms import DemandeForm
from isoloir.assistance.models import Categorie, DemandeAssistance
from isoloir.captcha.forms import preparer_captcha
from isoloir.core import soumission
from isoloir.core.formulaire_expire import champs_repris, reprise_apres_expiration
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.elections.pages import electeur_et_campagne

CLE_DE_SESSION = "assistance_derniere_demande"


def _compte(request: HttpRequest) -> Compte | None:
    utilisateur = request.user
    if isinstance(utilisateur, AnonymousUser) or not utilisateur.is_authenticated:
        return None
    return utilisateur


def _ariane(request: HttpRequest) -> list[dict[str, str]]:
    if _compte(request) is None:
        return [{"url": reverse("portail:assistance_telephonique"), "titre": "Assistance"}]
    return [
        {"url": reverse("portail:accueil"), "titre": "Accueil"},
        {"url": reverse("portail:assistance"), "titre": "Assistance"},
    ]


def _confirmer(request: HttpRequest, demande: DemandeAssistance) -> HttpResponse:
    # Post/redirect/get: a reload of the confirmation does not post again.
    request.session[CLE_DE_SESSION] = demande.numero
    return redirect("assistance:demande_envoyee")


def _initial(request: HttpRequest, compte: Compte | None) -> dict[str, str]:
    initial: dict[str, str] = {}
    if compte is not None:
        electeur, _ = electeur_et_campagne(request)
        initial["email"] = compte.email
        initial["nom"] = (
            f"{electeur.premier_prenom} {electeur.nom}" if electeur else compte.nom_affiche
        )
    categorie = request.GET.get("categorie", "")
    if categorie in Categorie.values:
        initial["categorie"] = categorie
    return initial


@reprise_apres_expiration("nom", "email", "telephone", "categorie", "message")
@sensitive_post_parameters("message", "telephone", "captcha_1", "cle")
@never_cache
def demande(request: HttpRequest) -> HttpResponse:
    compte = _compte(request)
    refus = ""
    if request.method == "POST":
        # A second post of a form already filed (double click, reload): its request, at
        # once, before the CAPTCHA that the first post has used up.
        deja = services.demande_deja_envoyee(
            cle=soumission.lire_cle(request.POST.get("cle")), compte=compte
        )
        if deja is not None:
            return _confirmer(request, deja)
        form = DemandeForm(
            request.POST, anonyme=compte is None, email_du_compte=compte.email if compte else ""
        )
        if form.is_valid():
            donnees = form.cleaned_data
            try:
                depot = services.deposer(
                    cle=donnees["cle"],
                    nom=donnees["nom"],
                    email=donnees["email"],
                    telephone=donnees["telephone"],
                    categorie=Categorie(donnees["categorie"]),
                    message=donnees["message"],
                    compte=compte,
                    ip=adresse_du_client(request),
                )
            except services.DemandeRefusee as erreur:
                refus = erreur.message
            else:
                return _confirmer(request, depot.demande)
    else:
        form = DemandeForm(
            initial=_initial(request, compte) | champs_repris(request),
            anonyme=compte is None,
            email_du_compte=compte.email if compte else "",
        )
    statut = preparer_captcha(request, form)
    reponse = rendre_page(
        request,
        "assistance/demande.html",
        "Formulaire de demande d'assistance",
        form=form,
        refus=refus,
        rubrique="assistance",
        fil_ariane=_ariane(request),
    )
    reponse.status_code = statut
    return reponse


@never_cache
def demande_envoyee(request: HttpRequest) -> HttpResponse:
    numero = request.session.get(CLE_DE_SESSION)
    if not numero:
        return redirect("assistance:demande")
    return rendre_page(
        request,
        "assistance/demande_envoyee.html",
        "Demande d'assistance envoyée",
        numero=numero,
        rubrique="assistance",
        fil_ariane=_ariane(request),
    )
