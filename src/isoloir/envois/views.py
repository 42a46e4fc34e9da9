"""The back-office's mailing pages: the live dashboard of a campaign's mailings, and the
launch of a mailing behind a confirmation that says how many voters it reaches.

Administration only (``roles.administration``: second factor proved); the helpdesk gets a
403. The dashboard works without JavaScript (it shows the counts when loaded); its script
polls :func:`etat`, in the shape of core/progression.py, to keep them current.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from isoloir.core.requetes import adresse_du_client
from isoloir.elections.models import Campagne
from isoloir.envois import selectors, services
from isoloir.envois.forms import ConfirmationForm
from isoloir.envois.models import NatureEnvoi
from isoloir.gestion import roles
from isoloir.gestion.pages import rendre_gestion

# Seconds between two polls of the dashboard's script.
INTERVALLE_DE_SUIVI = 5


def _fil(campagne: Campagne, *suite: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"url": reverse("gestion:campagne", kwargs={"slug": campagne.slug}), "titre": campagne.nom},
        *suite,
    ]


@require_GET
@roles.administration
def tableau(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    suivis = selectors.suivi_de_la_campagne(campagne)
    motifs = selectors.natures_disponibles(campagne)
    natures = [
        {
            "valeur": nature.value,
            "libelle": nature.label,
            "explication": selectors.EXPLICATIONS[nature],
            "motif": motifs[nature],
        }
        for nature in NatureEnvoi
    ]
    return rendre_gestion(
        request,
        "envois/tableau.html",
        "Courriels",
        fil_ariane=_fil(campagne),
        campagne=campagne,
        suivis=suivis,
        progression=selectors.progression(suivis),
        natures=natures,
        adresses_rejetees=selectors.adresses_rejetees(campagne),
        intervalle=INTERVALLE_DE_SUIVI,
        essais=settings.ISOLOIR_MAIL_MAX_ATTEMPTS,
    )


@require_GET
@roles.administration
def etat(request: HttpRequest, slug: str) -> JsonResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    return JsonResponse(selectors.progression(selectors.suivi_de_la_campagne(campagne)).en_json())


@require_http_methods(["GET", "POST"])
@roles.administration
def lancer(request: HttpRequest, slug: str, nature: str) -> HttpResponse:
    campagne = get_object_or_404(Campagne, slug=slug)
    if nature not in NatureEnvoi.values:
        raise Http404
    erreur = ""
    # A new key each time the page is shown (core.soumission): the form sent twice launches
    # once. A form of an older display, confirmed while its mailing runs, is refused by
    # services.lancer (one mailing of a kind at a time per campaign).
    formulaire = ConfirmationForm()
    if request.method == "POST":
        envoye = ConfirmationForm(request.POST)
        if not envoye.is_valid():
            # An unreadable key: nothing launched; the form comes back with the new key it
            # drew in its place.
            erreur = " ".join(str(message) for message in envoye.non_field_errors())
            formulaire = envoye
        else:
            try:
                envoi, nouveau = services.lancer(
                    campagne=campagne,
                    nature=nature,
                    jeton=envoye.cleaned_data["jeton"],
                    compte=request.user,  # type: ignore[arg-type]  # logged in (roles)
                    ip=adresse_du_client(request),
                )
            except selectors.EnvoiImpossible as refus:
                erreur = " ".join(refus.messages)
            else:
                if nouveau:
                    n = envoi.destinataires_prevus
                    messages.success(
                        request,
                        f"Envoi « {envoi.get_nature_display()} » lancé pour {n} "
                        f"électeur{'s' if n > 1 else ''}. Suivez-le ci-dessous.",
                    )
                else:
                    messages.info(
                        request, "Cet envoi était déjà lancé : il ne part pas une seconde fois."
                    )
                return redirect("gestion_courriels:tableau", slug=campagne.slug)
    apercu = selectors.apercu(campagne, nature)
    return rendre_gestion(
        request,
        "envois/confirmer.html",
        f"Confirmer l'envoi : {apercu.libelle}",
        fil_ariane=_fil(
            campagne,
            {
                "url": reverse("gestion_courriels:tableau", kwargs={"slug": campagne.slug}),
                "titre": "Courriels",
            },
        ),
        campagne=campagne,
        apercu=apercu,
        erreur=erreur,
        formulaire=formulaire,
    )
