"""The booth's screens: the voting space, the ballot of a scrutin, the receipt and the
public board."""

import json
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from isoloir.ballotbox import services as urne
from isoloir.booth import cles, depot, selectors
from isoloir.booth.accuse import accuse_pdf, adresse_du_tableau
from isoloir.booth.forms import RechercheTraceurForm
from isoloir.core import limites
from isoloir.core.pages import rendre_page
from isoloir.core.requetes import adresse_du_client
from isoloir.elections import verrous
from isoloir.elections.models import Campagne, Scrutin
from isoloir.elections.pages import electeur_et_campagne
from isoloir.elections.selectors import Phase, fenetre_du_scrutin
from isoloir.votecode.services import espace_ouvert


def _ariane() -> list[dict[str, str]]:
    return [
        {"url": reverse("portail:accueil"), "titre": "Accueil"},
        {"url": reverse("booth:espace_de_vote"), "titre": "Mon espace de vote"},
    ]


@never_cache
@login_required
def espace_de_vote(request: HttpRequest) -> HttpResponse:
    """The voting space, once the voter's code de vote has opened it for this session:
    each of their scrutins and where they stand in it."""
    electeur, campagne = electeur_et_campagne(request)
    if electeur is None:
        raise Http404("Ce compte n'est inscrit sur aucune liste électorale.")
    espace = espace_ouvert(session=request.session, electeur=electeur)
    if espace is None:
        return redirect("votecode:saisie_code")
    scrutins = selectors.scrutins_de_l_electeur(electeur, campagne) if campagne else []
    return rendre_page(
        request,
        "booth/espace_de_vote.html",
        "Mon espace de vote",
        espace=espace,
        scrutins=scrutins,
        rubrique="vote",
        fil_ariane=[{"url": reverse("portail:accueil"), "titre": "Accueil"}],
    )


# The booth's encryption runs in WebAssembly (libsodium), which a CSP without
# 'wasm-unsafe-eval' refuses to compile; only this page needs it.
CSP_ISOLOIR = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP["script-src"], CSP.WASM_UNSAFE_EVAL],
}


@csp_override(CSP_ISOLOIR)
@never_cache
@login_required
def isoloir(request: HttpRequest, scrutin_id: int) -> HttpResponse:
    electeur, campagne = electeur_et_campagne(request)
    if electeur is None or campagne is None:
        raise Http404("Ce compte n'est inscrit sur aucune liste électorale.")
    espace = espace_ouvert(session=request.session, electeur=electeur)
    if espace is None:
        if request.method == "POST":
            messages.warning(
                request,
                "Votre espace de vote s'est refermé avant l'envoi de votre bulletin : votre "
                "vote n'a pas été enregistré. Saisissez de nouveau votre code de vote, "
                "puis votez.",
            )
        return redirect("votecode:saisie_code")
    scrutin = get_object_or_404(
        Scrutin.objects.select_related("campagne"),
        pk=scrutin_id,
        campagne=campagne,
        inscriptions__electeur=electeur,
    )
    refus = None
    if request.method == "POST":
        try:
            accuse = depot.voter(
                electeur=electeur,
                scrutin=scrutin,
                texte=request.POST.get("bulletin", ""),
                ip=adresse_du_client(request),
            )
        except depot.VoteRefuse as erreur:
            refus = erreur.message
        else:
            return rendre_page(
                request,
                "booth/accuse.html",
                "Accusé de réception de votre vote",
                accuse=accuse,
                url_tableau=adresse_du_tableau(accuse),
                rubrique="vote",
                fil_ariane=_ariane(),
            )
    emargement = selectors.emargement_de(electeur, scrutin)
    fenetre = fenetre_du_scrutin(scrutin)
    return rendre_page(
        request,
        "booth/isoloir.html",
        scrutin.intitule,
        scrutin=scrutin,
        listes=scrutin.listes.order_by("ordre"),
        manifeste=cles.manifeste_du_scrutin(scrutin),
        emargement=emargement,
        espace=espace,
        fenetre=fenetre,
        ouvert=fenetre.phase() is Phase.OUVERT,
        refus=refus,
        rubrique="vote",
        fil_ariane=_ariane(),
    )


@require_POST
@login_required
def telecharger_accuse(request: HttpRequest, scrutin_id: int) -> HttpResponse:
    """The receipt's PDF, rebuilt from the tracker the page posts back: the server keeps
    no link between a voter and a tracker to rebuild it from."""
    electeur, _ = electeur_et_campagne(request)
    scrutin = get_object_or_404(Scrutin.objects.select_related("campagne"), pk=scrutin_id)
    emargement = selectors.emargement_de(electeur, scrutin) if electeur else None
    traceur = request.POST.get("traceur", "")
    if emargement is None or not urne.contient(scrutin.pk, traceur=traceur):
        raise Http404("Aucun vote enregistré avec ce traceur.")
    manifeste = cles.manifeste_du_scrutin(scrutin)
    accuse = depot.Accuse(
        scrutin=scrutin,
        traceur=traceur,
        emarge_le=emargement.emarge_le,
        empreinte_election=manifeste.empreinte.hex() if manifeste else "",
    )
    reponse = HttpResponse(accuse_pdf(accuse), content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="accuse-de-vote-{scrutin.code}.pdf"'
    add_never_cache_headers(reponse)
    return reponse


def tableaux(request: HttpRequest) -> HttpResponse:
    campagnes = Campagne.objects.prefetch_related("scrutins").order_by("-ouverture")
    return rendre_page(
        request, "booth/tableaux.html", "Tableau d'affichage public des urnes", campagnes=campagnes
    )


# Looking trackers up costs a query each: enough for any voter, not for a scraper.
RECHERCHES_PAR_IP = limites.Limite("tableau-ip", 60, 60)


def _scrutin_public(campagne: str, scrutin: str) -> Scrutin:
    return get_object_or_404(
        Scrutin.objects.select_related("campagne"), campagne__slug=campagne, code=scrutin
    )


def _scrutin_ou_figure(objet: Scrutin, traceur: str) -> Scrutin | None:
    autres = list(
        Scrutin.objects.filter(campagne_id=objet.campagne_id)
        .exclude(pk=objet.pk)
        .values_list("pk", flat=True)
    )
    trouve = urne.scrutin_du_traceur(autres, traceur=traceur)
    return None if trouve is None else Scrutin.objects.select_related("campagne").get(pk=trouve)


def tableau(request: HttpRequest, campagne: str, scrutin: str) -> HttpResponse:
    """The public board of one scrutin. During the vote it shows the board's fingerprint
    and answers a tracker lookup, but no count and no list: the number of ballots equals
    the number of émargements, which only the bureau's members may see (A11). After the
    closing the whole sorted list is published, and the ballots themselves.

    The lookup is a POST, so that a tracker never lands in an access log's URL beside
    the voter's address and the time."""
    objet = _scrutin_public(campagne, scrutin)
    fenetre = fenetre_du_scrutin(objet)
    clos = fenetre.phase() is Phase.CLOS
    form = RechercheTraceurForm(request.POST if request.method == "POST" else None)
    trouve = None
    ailleurs = None  # the scrutin of the same campaign whose board has the tracker
    trop = False
    if form.is_valid():
        essais = limites.compter(RECHERCHES_PAR_IP, adresse_du_client(request))
        if limites.depasse(RECHERCHES_PAR_IP, essais):
            trop = True
        else:
            trouve = urne.contient(objet.pk, traceur=form.cleaned_data["traceur"])
            if not trouve:
                ailleurs = _scrutin_ou_figure(objet, form.cleaned_data["traceur"])
    page = None
    if clos:
        page = Paginator(urne.traceurs(objet.pk), 100).get_page(request.GET.get("page"))
    return rendre_page(
        request,
        "booth/tableau.html",
        f"Tableau d'affichage — {objet.intitule}",
        scrutin=objet,
        fenetre=fenetre,
        manifeste=cles.manifeste_du_scrutin(objet),
        releve=urne.releve_a_jour(objet.pk, code_scrutin=objet.code, cloture=fenetre.cloture),
        clos=clos,
        form=form,
        trouve=trouve,
        ailleurs=ailleurs,
        trop=trop,
        page=page,
        scellement=verrous.etat_public(objet),
    )


def bulletins_publies(request: HttpRequest, campagne: str, scrutin: str) -> StreamingHttpResponse:
    """After the closing, every ballot of the urne as published on the board, sorted by
    tracker: anyone can check each proof against the manifest and recompute the board's
    fingerprint (docs/protocol.md)."""
    objet = _scrutin_public(campagne, scrutin)
    fenetre = fenetre_du_scrutin(objet)
    if fenetre.phase() is not Phase.CLOS:
        raise Http404("Les bulletins sont publiés à la clôture du scrutin.")
    manifeste = cles.manifeste_du_scrutin(objet)

    def lignes() -> Iterator[str]:
        # JSON Lines: the manifest first, then one canonical ballot per line.
        yield json.dumps({"manifeste": manifeste.texte if manifeste else None}) + "\n"
        for _, contenu in urne.bulletins(objet.pk):
            yield contenu + "\n"

    reponse = StreamingHttpResponse(lignes(), content_type="application/jsonl; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="urne-{objet.code}.jsonl"'
    return reponse
