"""Public results of a scrutin, once its bureau has computed them, and their PV; the
campaign's index of what is published; the participation page of the bureau de vote's
members."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from isoloir.accounts.second_facteur import exige_second_facteur
from isoloir.booth import selectors
from isoloir.core.pages import rendre_page
from isoloir.counting import pv, releve_du_depouillement
from isoloir.counting.models import Depouillement
from isoloir.counting.publication import publication_de_la_campagne
from isoloir.counting.services import scrutins_du_membre
from isoloir.elections.models import Campagne


def _depouillement_calcule(campagne: str, scrutin: str) -> Depouillement:
    depouillement = get_object_or_404(
        Depouillement.objects.select_related("scrutin__campagne"),
        scrutin__campagne__slug=campagne,
        scrutin__code=scrutin,
    )
    if depouillement.resultat is None:
        raise Http404("Les résultats de ce scrutin ne sont pas encore calculés.")
    return depouillement


def resultats(request: HttpRequest, campagne: str, scrutin: str) -> HttpResponse:
    depouillement = _depouillement_calcule(campagne, scrutin)
    # The seal as the public board last checked it: this page is public and frequent.
    releve = releve_du_depouillement.releve(depouillement, scellement_frais=False)
    return rendre_page(
        request,
        "counting/resultats.html",
        f"Résultats — {depouillement.scrutin.intitule}",
        scrutin=depouillement.scrutin,
        depouillement=depouillement,
        r=releve,
    )


def proces_verbal(request: HttpRequest, campagne: str, scrutin: str) -> HttpResponse:
    depouillement = _depouillement_calcule(campagne, scrutin)
    reponse = HttpResponse(pv.proces_verbal_recent(depouillement), content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="pv-{scrutin}.pdf"'
    return reponse


def publication(request: HttpRequest, campagne: str) -> HttpResponse:
    """Each counted scrutin's result, each bureau's archive and its fingerprint, and what
    is not published yet, with why."""
    objet = get_object_or_404(Campagne, slug=campagne)
    return rendre_page(
        request,
        "counting/publication.html",
        f"Résultats publiés — {objet.nom}",
        publication=publication_de_la_campagne(objet),
    )


@exige_second_facteur  # bureau members only: password and second factor
def participation(request: HttpRequest) -> HttpResponse:
    """Émargements per scrutin (A11): an account with the permission sees every scrutin;
    a bureau member, those of their bureaus; anybody else, nothing."""
    if request.user.has_perm("booth.voir_participation"):
        visibles = None
    else:
        visibles = scrutins_du_membre(int(request.user.pk or 0))
        if not visibles:
            raise PermissionDenied
    campagnes = Campagne.objects.order_by("-ouverture")
    if visibles is not None:
        campagnes = campagnes.filter(scrutins__in=visibles).distinct()
    return rendre_page(
        request,
        "counting/participation.html",
        "Participation (bureau de vote)",
        campagnes=[
            (c, selectors.participation(c, parmi=visibles), selectors.incidents(c))
            for c in campagnes
        ],
    )
